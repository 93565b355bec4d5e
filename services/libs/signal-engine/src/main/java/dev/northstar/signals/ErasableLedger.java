package dev.northstar.signals;

import java.util.Collection;
import java.util.Map;
import java.util.Set;

/**
 * A ledger a person can be erased from. The engine erases by rebuilding: a new ledger replays the
 * partition from its start without the erased actors' events (docs/adr/0014); this is what it needs
 * from the ledger for that. Implemented by {@link ProjectLedger}, so every signal service on product
 * events has it.
 */
public interface ErasableLedger {

    /** Whether the ledger has counted anything of {@code projectId}. */
    boolean holds(String projectId);

    /** The projects the ledger holds. */
    Set<String> projectIds();

    /** The actors of {@code projectId} whose erasure this ledger reflects: none of their events is in it. */
    Set<String> erasedActors(String projectId);

    /**
     * The anonymous ids of {@code projectId} this ledger knows to be linked to one of {@code users}
     * ({@code user_identified} is keyed by its anonymous id, so the partition that holds an anonymous id's
     * events holds its link too): erasing a person erases them with the user.
     */
    Map<String, String> linkedTo(String projectId, Set<String> users);

    /**
     * Records that this ledger reflects the erasure of {@code anonymousId}, erased with {@code userId}
     * (linked to that erased user).
     */
    void markErasedWith(String projectId, String anonymousId, String userId);

    /** The anonymous ids of {@code projectId} erased here with their users, each with its user. */
    Map<String, String> erasedWith(String projectId);

    /** Records that this ledger reflects the erasure of {@code actors} of {@code projectId}. */
    void markErased(String projectId, Collection<String> actors);

    /**
     * Makes sure the ledger has an entry for {@code recordKey} (one of its snapshots' keys), empty if
     * it has none, and marks it changed: a rebuilt ledger republishes every key the old one had, with
     * zero counts where only erased actors had contributed, so no snapshot keeps an erased person's numbers.
     */
    void keep(String recordKey);

    /**
     * Makes sure the ledger has the entries {@code event} would count into, empty if new, without
     * counting it: an erased actor's event still names the keys it touched, so a replay that drops it
     * (after a crash, or with the memory store) still republishes those keys, at zero if nobody else
     * contributed, instead of leaving an older snapshot in place.
     */
    void touch(dev.northstar.model.event.ProductEvent event);
}
