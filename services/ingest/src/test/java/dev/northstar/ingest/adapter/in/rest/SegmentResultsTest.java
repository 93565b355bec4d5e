package dev.northstar.ingest.adapter.in.rest;

import dev.northstar.model.event.EventBatchResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-message answer of the Segment intake, in message order. */
class SegmentResultsTest {

    @Test
    void eachMessageIsAnsweredInOrderWithRejectionsRenamedToTheirBatchIndex() {
        var result = new EventBatchResult(1, 1, List.of(
                new EventBatchResult.EventResult(0, "m-1", EventBatchResult.EventResult.Status.ok, null),
                new EventBatchResult.EventResult(1, "m-3", EventBatchResult.EventResult.Status.rejected, "events[1].rating: bad")));

        var answers = SegmentResource.results(result, List.of(1, 3), 4);

        assertThat(answers).extracting(a -> a.get("status")).containsExactly("ok", "ignored", "rejected", "ignored");
        assertThat(answers.get(2)).containsEntry("error", "batch[2].rating: bad").containsEntry("messageId", "m-3");
    }

    /**
     * Linear in the messages: every other of 400,000 messages ignored is answered in one pass. Looking each
     * index up in the list of ignored ones (as before) is quadratic: 1.8 s for 60,000 messages and 9 s for
     * 120,000 on a 2-core build machine, over a minute for these. The timeout only catches that; it is no
     * performance claim.
     */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void manyIgnoredMessagesAreAnsweredInOnePass() {
        int messages = 400_000;
        List<Integer> ignored = IntStream.range(0, messages).filter(i -> i % 2 == 1).boxed().toList();
        List<EventBatchResult.EventResult> events = new ArrayList<>();
        for (int i = 0; i < messages / 2; i++) {
            events.add(new EventBatchResult.EventResult(i, "m-" + i, EventBatchResult.EventResult.Status.ok, null));
        }

        List<Map<String, Object>> answers = SegmentResource.results(new EventBatchResult(events.size(), 0, events),
                ignored, messages);

        assertThat(answers).hasSize(messages);
        assertThat(answers.get(messages - 1)).containsEntry("status", "ignored");
        assertThat(answers.get(messages - 2)).containsEntry("messageId", "m-" + (messages / 2 - 1));
    }
}
