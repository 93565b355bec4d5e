package dev.northstar.client;

/**
 * Who did something: a signed-in user, or an anonymous visitor (an id the app keeps for them until
 * they sign in; then send {@link Northstar#identify} once, and Northstar counts both as one person).
 */
public record Actor(String userId, String anonymousId) {

    public static Actor user(String userId) {
        return new Actor(userId, null);
    }

    public static Actor anonymous(String anonymousId) {
        return new Actor(null, anonymousId);
    }
}
