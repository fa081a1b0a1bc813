package org.vheap.server.console;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/** How a refusal of the server reads on a page: its message as the server wrote it, and the HTTP status it maps to. */
final class ConsoleErrors {
    private ConsoleErrors() {
    }

    /** The server's message ("refused: no such app 'x'"); the status code alone when it gave none. */
    static String message(StatusRuntimeException e) {
        Status s = e.getStatus();
        return s.getDescription() == null ? s.getCode().toString() : s.getDescription();
    }

    /** The HTTP status a page that met {@code code} answers with. */
    static int httpStatus(Status.Code code) {
        return switch (code) {
            case NOT_FOUND -> 404;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
            case FAILED_PRECONDITION, ALREADY_EXISTS, ABORTED -> 409;
            case PERMISSION_DENIED -> 403;
            case UNAUTHENTICATED -> 401;
            case RESOURCE_EXHAUSTED -> 429;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            default -> 500;
        };
    }
}
