package dev.northstar.notifier.domain;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.List;

/**
 * The signature of a delivery: {@code Northstar-Signature: t=<unix seconds>,v1=<hex>} where the hex is
 * HMAC-SHA256, keyed with the webhook's secret, of {@code <unix seconds>.<body>}. A receiver recomputes
 * it over the raw body and compares in constant time, and refuses timestamps far from its clock.
 */
public final class Signature {

    public static final String HEADER = "Northstar-Signature";

    private Signature() {
    }

    public static String header(String secret, long unixSeconds, String body) {
        return header(List.of(secret), unixSeconds, body);
    }

    /**
     * With one {@code v1} per secret, the current first ({@code t=...,v1=<new>,v1=<previous>} after a
     * rotation): a receiver accepts the delivery when any of them matches the secret it holds.
     */
    public static String header(List<String> secrets, long unixSeconds, String body) {
        StringBuilder header = new StringBuilder("t=").append(unixSeconds);
        for (String secret : secrets) {
            header.append(",v1=").append(hmacHex(secret, unixSeconds + "." + body));
        }
        return header.toString();
    }

    public static String hmacHex(String secret, String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
