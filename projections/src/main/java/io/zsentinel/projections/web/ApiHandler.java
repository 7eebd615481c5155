package io.zsentinel.projections.web;

/** Handles one route; throw {@link ApiException} to refuse a request. */
@FunctionalInterface
public interface ApiHandler {
    ApiResponse handle(ApiRequest request) throws Exception;
}
