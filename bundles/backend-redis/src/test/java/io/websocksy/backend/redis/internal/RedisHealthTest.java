package io.websocksy.backend.redis.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;


/** The Redis backend's health against a real redis-server started here, stopped and started again. */
class RedisHealthTest extends RealRedis {
    private RedisHealth health() throws Exception {
        RedisSettings s = RedisSettings.parse("main", "redis://127.0.0.1:" + redis.port + "/0", "route:", null, 500,
                null, null, null, "v1", true, null);
        routes = new RedisRoutes(s, "websocksy.backend.redis~hc");
        routes.start();
        RedisRoutesTest.waitFor(routes::connected, 20);
        return new RedisHealth(() -> null, () -> routes, "hc");
    }

    private static String answer(RedisHealth h) throws Exception {
        return h.check().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static boolean healthy(RedisHealth h) {
        try {
            answer(h);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void failsWhileRedisIsDownHealthyWhenItIsBack() throws Exception {
        RedisHealth h = health();
        String up = answer(h);
        assertTrue(up.startsWith("Redis backend hc: Redis at 127.0.0.1:" + redis.port + "/0 answers PING (PONG) in "), up);

        redis.stop();
        RedisRoutesTest.waitFor(() -> !healthy(h), 20);
        ExecutionException down = assertThrows(ExecutionException.class, () -> answer(h));
        assertTrue(down.getCause().getMessage().startsWith("Redis backend hc: Redis at 127.0.0.1:" + redis.port
                + "/0 does not answer PING: "), down.getCause().getMessage());

        redis.start(); // same port
        RedisRoutesTest.waitFor(() -> healthy(h), 30);
    }

    @Test
    void aFailedConfigurationIsNotCheckedAgainstRedis() throws Exception {
        assertEquals("Redis backend bad not started (configuration error reported separately): Redis not checked",
                answer(new RedisHealth(() -> "x.cfg: timeout = 'abc': bad", () -> null, "bad")));
    }
}
