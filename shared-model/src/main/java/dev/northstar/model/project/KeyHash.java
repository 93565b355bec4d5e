package dev.northstar.model.project;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How a key is stored: a public key id (the part of the key before the dot, used to find the
 * project) and a salted SHA-256 of the secret part, all Base64url.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record KeyHash(String keyId, String salt, String hash) {
}
