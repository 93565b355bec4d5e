package dev.northstar.registry;

/** What a project key allows: writing events (ingest) or reading signals (query API). */
public enum KeyRole {
    WRITE("nsw_"),
    READ("nsr_");

    private final String prefix;

    KeyRole(String prefix) {
        this.prefix = prefix;
    }

    /** Every key starts with its role's prefix, so a key used in the wrong place is refused at once. */
    public String prefix() {
        return prefix;
    }
}
