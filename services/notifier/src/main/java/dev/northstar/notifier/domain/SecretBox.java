package dev.northstar.notifier.domain;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Seals webhook signing secrets for the webhooks topic: AES-256-GCM under the operator's key
 * ({@code NORTHSTAR_WEBHOOK_SECRETS_KEY}, 32 random bytes in base64), a fresh 96-bit nonce each time, and
 * the webhook's record key ({@code projectId/webhookId}) as associated data, so a sealed secret copied
 * onto another webhook's record does not open. The sealed form names the key it was sealed with (the
 * first 8 hex digits of the key's SHA-256) so a notifier started with another key says so instead of
 * signing with garbage: {@code sealed:v1:<key id>:<base64url(nonce | ciphertext | tag)>}. A secret
 * written before sealing existed (plain text) opens as itself.
 */
public final class SecretBox {

    static final String PREFIX = "sealed:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;
    private final String keyId;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
        try {
            this.keyId = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** From the configured key: 32 bytes in base64 (standard or URL-safe). */
    public static SecretBox of(String base64Key) {
        byte[] key;
        try {
            String text = base64Key == null ? "" : base64Key.strip();
            key = text.indexOf('-') >= 0 || text.indexOf('_') >= 0 ? Base64.getUrlDecoder().decode(text)
                    : Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("NORTHSTAR_WEBHOOK_SECRETS_KEY is not base64: make one with "
                    + "`openssl rand -base64 32`");
        }
        if (key.length != 32) {
            throw new IllegalArgumentException("NORTHSTAR_WEBHOOK_SECRETS_KEY must be 32 bytes in base64 (it is "
                    + key.length + "): make one with `openssl rand -base64 32`");
        }
        return new SecretBox(key);
    }

    /** Which key this is, as sealed forms name it. */
    public String keyId() {
        return keyId;
    }

    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /** {@code secret} sealed for the webhook whose record key is {@code context}. */
    public String seal(String secret, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + sealed.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(sealed, 0, out, nonce.length, sealed.length);
            return PREFIX + keyId + ":" + B64.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * The secret {@code value} holds for the webhook {@code context}: the plain text of a value written
     * before sealing, the opened one of a sealed value, empty when it was sealed with another key, for
     * another webhook, or altered.
     */
    public Optional<String> open(String value, String context) {
        if (value == null) {
            return Optional.empty();
        }
        if (!isSealed(value)) {
            return Optional.of(value);
        }
        String rest = value.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        if (colon < 0 || !rest.substring(0, colon).equals(keyId)) {
            return Optional.empty();
        }
        try {
            byte[] in = Base64.getUrlDecoder().decode(rest.substring(colon + 1));
            if (in.length <= NONCE_BYTES) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
            return Optional.of(new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8));
        } catch (AEADBadTagException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The key id a sealed value names, if it is sealed. */
    public static Optional<String> keyIdOf(String value) {
        if (!isSealed(value)) {
            return Optional.empty();
        }
        String rest = value.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        return colon < 0 ? Optional.empty() : Optional.of(rest.substring(0, colon));
    }
}
