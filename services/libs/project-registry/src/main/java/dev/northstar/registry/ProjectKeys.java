package dev.northstar.registry;

import dev.northstar.model.project.KeyHash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Issues and checks project keys. A key is {@code <role prefix><16 hex key id>_<secret>}: the key
 * id finds the project, the secret proves possession. Only a salted SHA-256 of the secret is kept;
 * a fast hash is right here because secrets are 256 random bits, not passwords.
 */
public final class ProjectKeys {

    private static final int KEY_ID_HEX = 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private ProjectKeys() {
    }

    /** A freshly issued key: the text shown once to the admin, and what is stored of it. */
    public record IssuedKey(String key, KeyHash hash) {
        @Override
        public String toString() {
            return "IssuedKey[key=<redacted>, keyId=" + hash.keyId() + "]";
        }
    }

    /** A key split into its parts, when it has the shape of a key of {@code role}. */
    record ParsedKey(String keyId, String secret) {
        @Override
        public String toString() {
            return "ParsedKey[keyId=" + keyId + "]";
        }
    }

    public static IssuedKey issue(KeyRole role) {
        String keyId = HexFormat.of().formatHex(randomBytes(KEY_ID_HEX / 2));
        String secret = B64.encodeToString(randomBytes(32));
        byte[] salt = randomBytes(16);
        return new IssuedKey(role.prefix() + keyId + "_" + secret,
                new KeyHash(keyId, B64.encodeToString(salt), B64.encodeToString(hash(salt, secret))));
    }

    static Optional<ParsedKey> parse(String key, KeyRole role) {
        int idStart = role.prefix().length();
        int idEnd = idStart + KEY_ID_HEX;
        if (key == null || key.length() <= idEnd + 1 || key.length() > 200 || !key.startsWith(role.prefix())
                || key.charAt(idEnd) != '_') {
            return Optional.empty();
        }
        String keyId = key.substring(idStart, idEnd);
        if (!keyId.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return Optional.empty();
        }
        return Optional.of(new ParsedKey(keyId, key.substring(idEnd + 1)));
    }

    /** Constant-time check of a secret against its stored hash. */
    static boolean matches(KeyHash stored, String secret) {
        try {
            byte[] expected = B64D.decode(stored.hash());
            byte[] actual = hash(B64D.decode(stored.salt()), secret);
            return MessageDigest.isEqual(expected, actual);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] hash(byte[] salt, String secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            return sha.digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
