package io.websocksy.backend.redis.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;

import io.websocksy.testing.RedisServer;

/**
 * Fixture of the tests that run against a real redis-server (Debian's package, installed by .ci/run), started
 * per test on a free port and stopped after it with the engine the test made (never a mock). Skipped, saying
 * which package is missing, only where redis-server is not installed.
 */
abstract class RealRedis {
    protected RedisServer redis;
    /** The engine under test, closed after the test when set. */
    protected RedisRoutes routes;

    @BeforeEach
    void startRedis() throws Exception {
        Assumptions.assumeTrue(RedisServer.available(), "redis-server/redis-cli not installed (apt-get install redis-server): skipped");
        redis = new RedisServer().start();
    }

    @AfterEach
    void stopRedis() throws Exception {
        if (routes != null) {
            routes.close();
        }
        if (redis != null) {
            redis.close();
        }
    }
}
