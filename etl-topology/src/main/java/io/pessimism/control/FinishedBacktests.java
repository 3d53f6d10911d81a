package io.pessimism.control;

import io.pessimism.avro.PipelineState;
import io.pessimism.avro.PipelineStatus;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Follows {@code <ns>.pipeline-status} into the control plane's {@link ControlStore#FINISHED} store:
 * the pipelines whose latest observed state is DONE (a backtest writes DONE in its own
 * transaction). A finished backtest no longer counts against the limits, and cannot be resumed;
 * a later status (its end was moved, it runs again) takes it out.
 */
final class FinishedBacktests implements Processor<String, PipelineStatus, Void, Void> {

    private KeyValueStore<String, String> finished;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.finished = context.getStateStore(ControlStore.FINISHED);
    }

    @Override
    public void process(Record<String, PipelineStatus> record) {
        PipelineStatus status = record.value();
        if (record.key() == null || status == null) {
            return;
        }
        if (status.getState() == PipelineState.DONE) {
            finished.put(record.key(), Long.toString(status.getHeight() == null ? -1 : status.getHeight()));
        } else if (finished.get(record.key()) != null) {
            finished.delete(record.key());
        }
    }
}
