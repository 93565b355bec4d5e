package dev.northstar.ingest.domain;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Pseudonymous actor ids: {@code ps_} and the first 132 bits (22 characters of base64url) of
 * HMAC-SHA256 of the id under the project's secret, which is itself HMAC-SHA256 of the project id
 * under the operator's key ({@code NORTHSTAR_PSEUDONYM_KEY}). The same id in the same project is
 * always the same pseudonym, distinct ids stay distinct (a collision among a billion ids has odds
 * below 1e-20), the same id in two projects is not linkable, and nobody without the key can go back
 * from a pseudonym to the id or test a guess. Thread-safe.
 */
public final class Pseudonyms {

    public static final String PREFIX = "ps_";
    private static final String ALGORITHM = "HmacSHA256";
    /** Characters of base64url kept: 22 x 6 = 132 bits. */
    private static final int LENGTH = 22;
    /** The shortest operator key accepted, in bytes of UTF-8. */
    public static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec master;
    private final Map<String, SecretKeySpec> projects = new ConcurrentHashMap<>();
    private final ThreadLocal<Mac> mac = ThreadLocal.withInitial(Pseudonyms::newMac);

    public Pseudonyms(String operatorKey) {
        byte[] key = operatorKey.getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("the pseudonym key must be at least " + MIN_KEY_BYTES
                    + " bytes (NORTHSTAR_PSEUDONYM_KEY; e.g. openssl rand -hex 32)");
        }
        this.master = new SecretKeySpec(key, ALGORITHM);
    }

    /** The pseudonym of {@code actorId} in {@code projectId}; null stays null. */
    public String of(String projectId, String actorId) {
        if (actorId == null) {
            return null;
        }
        SecretKeySpec project = projects.computeIfAbsent(projectId,
                id -> new SecretKeySpec(hmac(master, "northstar/pseudonym/v1/" + id), ALGORITHM));
        byte[] digest = hmac(project, actorId);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, LENGTH);
    }

    private byte[] hmac(SecretKeySpec key, String data) {
        Mac m = mac.get();
        try {
            m.init(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac newMac() {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
