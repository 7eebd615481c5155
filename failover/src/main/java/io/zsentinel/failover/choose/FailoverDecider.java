package io.zsentinel.failover.choose;

import io.zsentinel.core.values.DatasetName;
import io.zsentinel.core.values.ServerId;
import io.zsentinel.failover.api.CommonSnapshot;
import io.zsentinel.failover.api.FailoverCandidateEvaluated;
import io.zsentinel.failover.api.OperatorOrder;
import io.zsentinel.failover.api.FailoverRefused;
import io.zsentinel.failover.api.ForceFailover;
import io.zsentinel.failover.api.Ineligible;
import io.zsentinel.failover.api.StandbyChosen;
import io.zsentinel.failover.detect.Health;
import io.zsentinel.failover.service.ServiceDefinition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the standby that takes over a service from its failed primary, as a plain function of the situation.
 * Every standby is evaluated, in preference order, whatever the outcome ("why this replica?"): eligible when the
 * failure detector says it is healthy, it is not in maintenance, it shares a snapshot with the primary for every
 * dataset of the service, and the oldest of those newest common snapshots is at most {@code maxDataLoss} old.
 * Automatically, the first eligible standby in preference order is chosen, provided the primary is failed (not
 * suspect or unknown), not in maintenance, and the service's automatic failover is not blocked; else the failover is
 * refused with every reason. An operator's force to a named standby overrides staleness, the primary's state and
 * the block, but never picks an unhealthy server or one without a copy of every dataset.
 */
public final class FailoverDecider {
    private FailoverDecider() {
    }

    /** The automatic decision, on the failure detector's word. */
    public static FailoverDecision decide(FailoverSituation situation) {
        ServiceDefinition service = situation.service();
        List<FailoverCandidateEvaluated> evaluations = evaluateAll(situation, null);
        List<String> reasons = new ArrayList<>();
        if (situation.primaryHealth() != Health.FAILED) {
            reasons.add("primary " + situation.failedPrimary() + " is " + situation.primaryHealth().text()
                    + ", not failed: no automatic failover on silence alone");
        }
        if (situation.primaryMaintenance()) {
            reasons.add("primary " + situation.failedPrimary() + " is in maintenance mode, which suppresses automatic"
                    + " failover; take it out of maintenance, or force the failover");
        }
        if (situation.blockedBy() != null) {
            reasons.add("automatic failover of " + service.name() + " is blocked: " + situation.blockedBy()
                    + "; acknowledge it (zsentinel failover ack " + service.name() + "), or force the failover");
        }
        if (situation.datasets().isEmpty()) {
            reasons.add("no dataset of " + situation.failedPrimary() + " matches " + service.datasets()
                    + ": nothing to fail over; check the service's datasets pattern");
        }
        Optional<FailoverCandidateEvaluated> first = evaluations.stream().filter(FailoverCandidateEvaluated::eligible).findFirst();
        if (reasons.isEmpty() && first.isPresent()) {
            FailoverCandidateEvaluated c = first.get();
            String skipped = evaluations.stream().filter(e -> e.preference() < c.preference())
                    .map(e -> e.candidate() + " (" + e.why() + ")").reduce((a, b) -> a + ", " + b)
                    .map(s -> "; passed over: " + s).orElse("");
            return new FailoverDecision(evaluations, new StandbyChosen(service.name(), situation.failedPrimary(),
                    c.candidate(), c.dataLoss(), c.candidate() + " is the first eligible standby in the configured order"
                    + " (preference " + c.preference() + "): " + c.why() + skipped, null, situation.now()));
        }
        if (first.isEmpty()) {
            evaluations.forEach(e -> reasons.add(e.candidate() + ": " + e.why()));
            reasons.add(evaluations.stream().anyMatch(e -> e.ineligible().equals(Set.of(Ineligible.TOO_STALE)))
                    ? "no eligible standby; an operator may accept the data loss: zsentinel failover force "
                    + service.name() + " --to <server> --reason …"
                    : "no eligible standby: bring a standby back to health or out of maintenance");
        }
        return new FailoverDecision(evaluations, new FailoverRefused(service.name(), situation.failedPrimary(), reasons,
                null, situation.now()));
    }

    /** An operator's order: {@code order.to()} if it can serve at all, whatever the data loss. */
    public static FailoverDecision decide(FailoverSituation situation, ForceFailover order) {
        ServiceDefinition service = situation.service();
        if (!order.service().equals(service.name())) {
            throw new IllegalArgumentException("an order for " + order.service() + " decided as " + service.name());
        }
        OperatorOrder by = order.by();
        List<FailoverCandidateEvaluated> evaluations = evaluateAll(situation, order.to());
        Optional<FailoverCandidateEvaluated> target = evaluations.stream().filter(e -> e.candidate().equals(order.to())).findFirst();
        List<String> reasons = new ArrayList<>();
        if (target.isEmpty()) {
            reasons.add(order.to() + " is not a standby of " + service.name() + " (standbys: " + service.standbys()
                    + (order.to().equals(situation.failedPrimary()) ? "; it is the primary failed over from" : "")
                    + "); force to one of them");
        } else if (!target.get().eligible()) {
            reasons.add(order.to() + " cannot serve " + service.name() + ", even forced: " + target.get().why());
        }
        if (situation.datasets().isEmpty()) {
            reasons.add("no dataset of " + situation.failedPrimary() + " matches " + service.datasets()
                    + ": nothing to fail over; check the service's datasets pattern");
        }
        if (!reasons.isEmpty()) {
            return new FailoverDecision(evaluations, new FailoverRefused(service.name(), situation.failedPrimary(), reasons,
                    by, situation.now()));
        }
        FailoverCandidateEvaluated c = target.get();
        return new FailoverDecision(evaluations, new StandbyChosen(service.name(), situation.failedPrimary(), c.candidate(),
                c.dataLoss(), "forced by " + by.operator() + " (" + by.reason() + "): " + c.why(), by, situation.now()));
    }

    private static List<FailoverCandidateEvaluated> evaluateAll(FailoverSituation situation, ServerId forcedTo) {
        List<FailoverCandidateEvaluated> evaluations = new ArrayList<>();
        List<ServerId> standbys = situation.service().standbys();
        for (int i = 0; i < standbys.size(); i++) {
            ServerId s = standbys.get(i);
            if (!s.equals(situation.failedPrimary())) { // after a failover the configured primary may be a standby
                evaluations.add(evaluate(situation, situation.candidate(s), i + 1, s.equals(forcedTo)));
            }
        }
        return evaluations;
    }

    private static FailoverCandidateEvaluated evaluate(FailoverSituation situation, Candidate c, int preference,
                                                       boolean forced) {
        ServiceDefinition service = situation.service();
        Set<Ineligible> ineligible = EnumSet.noneOf(Ineligible.class);
        List<String> why = new ArrayList<>();
        if (c.health() != Health.HEALTHY) {
            ineligible.add(Ineligible.UNHEALTHY);
            why.add("it is " + c.health().text());
        }
        if (c.maintenance()) {
            ineligible.add(Ineligible.IN_MAINTENANCE);
            why.add("it is in maintenance mode");
        }
        List<CommonSnapshot> common = new ArrayList<>();
        List<DatasetName> missing = new ArrayList<>();
        for (DatasetName d : situation.datasets()) {
            CommonSnapshot s = c.commonSnapshots().get(d);
            if (s == null) {
                missing.add(d);
            } else {
                common.add(s);
            }
        }
        Duration dataLoss = null;
        if (!missing.isEmpty()) {
            ineligible.add(Ineligible.NO_COMMON_SNAPSHOT);
            why.add("it shares no snapshot with " + situation.failedPrimary() + " for " + missing);
        } else if (!common.isEmpty()) {
            CommonSnapshot oldest = common.stream().min(Comparator.comparing(CommonSnapshot::created)).orElseThrow();
            Duration age = Duration.between(oldest.created(), situation.now());
            dataLoss = age.isNegative() ? Duration.ZERO : age;
            String loss = "newest common snapshot " + oldest.snapshot() + " is " + text(dataLoss) + " old";
            if (dataLoss.compareTo(service.maxDataLoss()) > 0) {
                if (forced) {
                    why.add(loss + ", more than maxDataLoss " + text(service.maxDataLoss()) + ": accepted by the operator's force");
                } else {
                    ineligible.add(Ineligible.TOO_STALE);
                    why.add(loss + ", more than maxDataLoss " + text(service.maxDataLoss()));
                }
            } else {
                why.add(loss + " (maxDataLoss " + text(service.maxDataLoss()) + ")");
            }
        } else {
            dataLoss = Duration.ZERO;
        }
        String words = (ineligible.isEmpty() ? "eligible: " : "not eligible: ") + String.join("; ", why);
        return new FailoverCandidateEvaluated(service.name(), situation.failedPrimary(), c.server(), preference, c.health(),
                c.maintenance(), common, dataLoss, service.maxDataLoss(), ineligible, words, situation.now());
    }

    /** {@code 3m12s}, {@code 2h0m5s}: how operators write maxDataLoss. */
    static String text(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        return (s / 3600) + "h" + (s % 3600 / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
}
