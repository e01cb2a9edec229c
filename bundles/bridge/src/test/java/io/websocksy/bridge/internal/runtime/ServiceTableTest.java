package io.websocksy.bridge.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.websocksy.bridge.internal.FakeRef;







/** The name → best-ranked service table (K12) and its removal bookkeeping. */
class ServiceTableTest {
    private final ServiceTable<Object> table = new ServiceTable<>("framer", "n", LoggerFactory.getLogger("test"));

    @Test
    void highestRankingWinsAndShadowedRemovalKeepsTheLiveOne() {
        FakeRef<Object> low = new FakeRef<>(Map.of("n", "x", "service.ranking", 1));
        FakeRef<Object> high = new FakeRef<>(Map.of("n", "x", "service.ranking", 5));
        Object a = new Object();
        Object b = new Object();
        table.add(low, a);
        table.add(high, b);
        assertSame(b, table.lookup("x").service);
        assertFalse(table.remove(low), "shadowed service was not the live one");
        assertSame(b, table.lookup("x").service);
        assertTrue(table.remove(high));
        assertNull(table.lookup("x"));
    }

    @Test
    void removingOneNameLeavesTheOthers() {
        String[] names = {"tcp", "udp", "unix", "udgram", "a", "z"};
        java.util.List<FakeRef<Object>> refs = new java.util.ArrayList<>();
        for (String n : names) {
            FakeRef<Object> r = new FakeRef<>(Map.of("n", n));
            refs.add(r);
            table.add(r, n);
        }
        table.remove(refs.get(3)); // udgram
        assertNull(table.lookup("udgram"));
        for (String n : new String[] {"tcp", "udp", "unix", "a", "z"}) {
            assertEquals(n, table.lookup(n).service);
        }
        assertEquals(5, table.all().size());
    }
}
