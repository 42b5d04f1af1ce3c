package dev.jobqueue.core.flow;

import java.util.function.Supplier;

/**
 * What a chain's or a batch's {@code dispatch()} goes through on the {@link Flows} that built it, on the
 * dispatching thread: it may change the flow's jobs first ({@link Chain#mapJobs}, {@link Batch#mapJobs}: their
 * queue, their metadata), then stores the flow now ({@code store.get()}, which returns its status read back),
 * later (after a transaction commits; it then returns a {@link FlowStatus#WAITING} status), or never (a test's
 * recorder). {@code store} stores the flow at most once: a second call finds its id taken.
 */
public interface FlowInterceptor {

	/** Stores every flow at once, as built. */
	FlowInterceptor NONE = new FlowInterceptor() {
	};

	default ChainStatus dispatch(Chain chain, Supplier<ChainStatus> store) {
		return store.get();
	}

	default BatchStatus dispatch(Batch batch, Supplier<BatchStatus> store) {
		return store.get();
	}

}
