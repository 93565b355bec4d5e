package dev.northstar.ingest.adapter.in.messaging;

import dev.northstar.ingest.application.ErasureStatuses;
import dev.northstar.model.erasure.ActorErasure;
import dev.northstar.model.erasure.ErasureProgress;
import dev.northstar.platform.messaging.IncomingRecords;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Reads the erasures and the signal services' progress on them, whole (every instance, its own group). */
@ApplicationScoped
class ErasuresListener {

    private final IncomingRecords records;
    private final ErasureStatuses statuses;

    ErasuresListener(IncomingRecords records, ErasureStatuses statuses) {
        this.records = records;
        this.statuses = statuses;
    }

    @Incoming("erasures-read")
    void onErasure(ConsumerRecord<String, byte[]> record) {
        statuses.erasure(record, record.value() == null ? null
                : records.value(record, ActorErasure.class).orElse(null));
    }

    @Incoming("erasure-progress")
    void onProgress(ConsumerRecord<String, byte[]> record) {
        statuses.progress(record, record.value() == null ? null
                : records.value(record, ErasureProgress.class).orElse(null));
    }
}
