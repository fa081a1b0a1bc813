package org.vheap.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

class StoreStatusCodesTest {

    @Test
    void everyReasonCrossesTheWireUnchanged() {
        for (StoreException.Reason r : StoreException.Reason.values()) {
            StatusRuntimeException status = StoreStatusCodes.toStatus(new StoreException(r, "why " + r));
            assertThat(status.getStatus().getDescription()).isEqualTo("why " + r);
            StoreException back = StoreStatusCodes.fromStatus("call", status);
            assertThat(back.reason()).as(r.name()).isEqualTo(r);
            assertThat(back).hasMessage("call failed: " + status.getStatus().getCode() + ": why " + r);
        }
    }

    @Test
    void aStatusWithoutAReasonTrailerMapsByItsCode() {
        assertThat(reason(Status.DEADLINE_EXCEEDED, null)).isEqualTo(StoreException.Reason.UNAVAILABLE);
        assertThat(reason(Status.CANCELLED, null)).isEqualTo(StoreException.Reason.UNAVAILABLE);
        assertThat(reason(Status.UNAVAILABLE, null)).isEqualTo(StoreException.Reason.UNAVAILABLE);
        assertThat(reason(Status.FAILED_PRECONDITION, null)).isEqualTo(StoreException.Reason.FENCED);
        assertThat(reason(Status.ABORTED, null)).isEqualTo(StoreException.Reason.LEASE_HELD);
        assertThat(reason(Status.NOT_FOUND, null)).isEqualTo(StoreException.Reason.NOT_FOUND);
        assertThat(reason(Status.RESOURCE_EXHAUSTED, null)).isEqualTo(StoreException.Reason.LIMIT_EXCEEDED);
        assertThat(reason(Status.OUT_OF_RANGE, null)).isEqualTo(StoreException.Reason.INVALID_ARGUMENT);
        assertThat(reason(Status.UNAUTHENTICATED, null)).isEqualTo(StoreException.Reason.DENIED);
        assertThat(reason(Status.PERMISSION_DENIED, null)).isEqualTo(StoreException.Reason.DENIED);
        assertThat(reason(Status.UNIMPLEMENTED, null)).isEqualTo(StoreException.Reason.INTERNAL);
        // a gateway's DATA_LOSS (a system blob that does not match its hash) is not a store's lost flushes
        assertThat(reason(Status.DATA_LOSS, null)).isEqualTo(StoreException.Reason.INTERNAL);
    }

    @Test
    void theTrailerRefinesTheCodeOnlyWhenTheyAgree() {
        assertThat(reason(Status.FAILED_PRECONDITION, "CONFLICT")).isEqualTo(StoreException.Reason.CONFLICT);
        assertThat(reason(Status.ABORTED, "ABORTED")).isEqualTo(StoreException.Reason.ABORTED);
        // the trailer tells a quota exceeded (not retried) and a throttled app (retried) from a per-call limit
        assertThat(reason(Status.RESOURCE_EXHAUSTED, "QUOTA_EXCEEDED")).isEqualTo(StoreException.Reason.QUOTA_EXCEEDED);
        assertThat(reason(Status.RESOURCE_EXHAUSTED, "THROTTLED")).isEqualTo(StoreException.Reason.THROTTLED);
        // a trailer naming a reason of another code, or no reason at all, is not believed
        assertThat(reason(Status.ABORTED, "NOT_FOUND")).isEqualTo(StoreException.Reason.LEASE_HELD);
        assertThat(reason(Status.FAILED_PRECONDITION, "STALE_TOKEN")).isEqualTo(StoreException.Reason.FENCED);
    }

    @Test
    void onlyAnAbsentStoreALostRaceOrAThrottledAppIsRetryable() {
        for (StoreException.Reason r : StoreException.Reason.values()) {
            assertThat(r.retryable()).as(r.name()).isEqualTo(r == StoreException.Reason.UNAVAILABLE
                    || r == StoreException.Reason.ABORTED || r == StoreException.Reason.THROTTLED);
        }
    }

    @Test
    void aDatabaseOutageIsToldFromAnUnreachableServer() {
        StatusRuntimeException outage = StoreStatusCodes.toStatus(
                new StoreException(StoreException.Reason.UNAVAILABLE, "the heap database is unavailable"));
        assertThat(StoreStatusCodes.isStoreUnavailable(outage.getStatus(), outage.getTrailers())).isTrue();
        assertThat(StoreStatusCodes.isStoreUnavailable(Status.UNAVAILABLE, new Metadata())).isFalse();
    }

    private static StoreException.Reason reason(Status status, String trailer) {
        Metadata trailers = new Metadata();
        if (trailer != null) {
            trailers.put(StoreStatusCodes.REASON, trailer);
        }
        return StoreStatusCodes.fromStatus("call", status.withDescription("m").asRuntimeException(trailers)).reason();
    }
}
