package dev.northstar.kafka.local;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A broker that lets no one in without a principal and an ACL: its client listener takes SASL
 * SCRAM-SHA-512 (plaintext, on loopback: the secured tests and the local run's switch; compose and
 * Kubernetes add TLS), the controller listener SASL PLAIN with the admin's password, the
 * {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}, and one super user,
 * {@code admin}, whose SCRAM credential is written when the storage is formatted. Service users and
 * their ACLs are then created through the admin (the kafka-topics library's {@code KafkaAccess}).
 *
 * @param adminUser     the super user (brokers talk to each other as it)
 * @param adminPassword its password
 */
public record BrokerSecurity(String adminUser, String adminPassword) {

    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String PROTOCOL = "SASL_PLAINTEXT";

    public BrokerSecurity {
        if (adminPassword.contains("\"") || adminPassword.contains(",") || adminPassword.contains("]")) {
            throw new IllegalArgumentException("the admin password may not contain '\"', ',' or ']'");
        }
    }

    /** The super user {@code admin} with {@code password}. */
    public static BrokerSecurity admin(String password) {
        return new BrokerSecurity("admin", password);
    }

    /** The client settings of {@code user} on this broker's SASL listener. */
    public static Map<String, Object> clientSettings(String user, String password) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("security.protocol", PROTOCOL);
        settings.put("sasl.mechanism", MECHANISM);
        settings.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                + user + "\" password=\"" + password + "\";");
        return settings;
    }

    /** The admin's client settings. */
    public Map<String, Object> adminSettings() {
        return clientSettings(adminUser, adminPassword);
    }

    /** The {@code StorageTool format} argument that writes the admin's SCRAM credential. */
    String scramFormatArgument() {
        return MECHANISM + "=[name=" + adminUser + ",password=" + adminPassword + "]";
    }

    /** The broker properties of a node whose client listener is on {@code port} and controller on {@code controllerPort}. */
    Map<String, String> brokerProperties(int port, int controllerPort) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("listeners", PROTOCOL + "://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", PROTOCOL + "://localhost:" + port);
        p.put("inter.broker.listener.name", PROTOCOL);
        p.put("listener.security.protocol.map", PROTOCOL + ":" + PROTOCOL + ",CONTROLLER:SASL_PLAINTEXT");
        p.put("sasl.enabled.mechanisms", MECHANISM);
        p.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        p.put("listener.name.sasl_plaintext.sasl.enabled.mechanisms", MECHANISM);
        p.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + adminUser
                        + "\" password=\"" + adminPassword + "\";");
        // SCRAM credentials live in the metadata log the controllers serve, so the controllers
        // authenticate each other with PLAIN (the admin's password, from this file only).
        p.put("sasl.mechanism.controller.protocol", "PLAIN");
        p.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        p.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + adminUser
                        + "\" password=\"" + adminPassword + "\" user_" + adminUser + "=\"" + adminPassword + "\";");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("allow.everyone.if.no.acl.found", "false");
        p.put("super.users", "User:" + adminUser);
        return p;
    }
}
