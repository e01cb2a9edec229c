package io.websocksy.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ConfigKeysTest {
    /** A metatype-like annotation with every shape of element name DS maps. */
    @interface Sample {
        String listen() default "::";

        int port() default 8001;

        String[] allowed$_$origins() default {};

        int max$_$connections$_$per$_$ip() default 0;

        String dotted_name() default "";

        String under__score() default "";

        String dollar$$sign() default "";

        String dropped$Dollar() default "";
    }

    private static final ConfigKeys SAMPLE = ConfigKeys.of(Sample.class);

    @Test
    void keysFollowTheDeclarativeServicesNameMapping() {
        assertEquals(Set.of("listen", "port", "allowed-origins", "max-connections-per-ip", "dotted.name",
                "under_score", "dollar$sign", "droppedDollar"), SAMPLE.keys());
    }

    @Test
    void missingLetterSuggestsTheKnownKey() {
        assertEquals(Optional.of("allowed-origins"), SAMPLE.closest("allowed-origin"));
        assertEquals(Optional.of("max-connections-per-ip"), SAMPLE.closest("max-conections-per-ip"));
        assertEquals("(did you mean 'allowed-origins'?)", SAMPLE.hint("allowed-origin"));
    }

    @Test
    void swappedLettersCountAsOneEdit() {
        assertEquals(1, ConfigKeys.distance("prot", "port"));
        assertEquals(Optional.of("port"), SAMPLE.closest("prot"));
        assertEquals(Optional.of("framing"), ConfigKeys.of(List.of("framing", "framing-config", "host")).closest("framming"));
    }

    @Test
    void caseIsIgnoredForTheSuggestion() {
        assertEquals(Optional.of("port"), SAMPLE.closest("Port"));
    }

    @Test
    void farKeyListsTheKnownOnes() {
        ConfigKeys k = ConfigKeys.of(List.of("port", "listen", "ping", "backend"));
        assertEquals(Optional.empty(), k.closest("nosuch"));
        assertEquals("(known: backend, listen, ping, port)", k.hint("nosuch"));
    }

    @Test
    void frameworkKeysAreAccepted() {
        for (String k : List.of("service.pid", "service.factoryPid", "component.name", "component.id",
                "felix.fileinstall.filename", "osgi.ds.satisfying.condition.target", ".private", "objectClass")) {
            assertTrue(SAMPLE.accepts(k), k);
        }
        assertFalse(SAMPLE.accepts("prot"));
    }

    @Test
    void checkNamesSourceKeyValueAndSuggestion() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("service.pid", "websocksy.listener~three");
        props.put("felix.fileinstall.filename", "file:/opt/websocksy/deploy/websocksy.listener-three.cfg");
        props.put("port", "8001");
        props.put("allowed-origin", "https://app.example.com");
        String source = ConfigKeys.source(props, "websocksy.listener");
        assertEquals("/opt/websocksy/deploy/websocksy.listener-three.cfg (websocksy.listener~three)", source);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SAMPLE.check(source, props));
        assertEquals("/opt/websocksy/deploy/websocksy.listener-three.cfg (websocksy.listener~three): allowed-origin = "
                + "'https://app.example.com': unknown key (did you mean 'allowed-origins'?)", e.getMessage());
    }

    @Test
    void checkReportsEveryUnknownKey() {
        Map<String, Object> props = Map.of("prot", "1", "zzz", "2", "listen", "::");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SAMPLE.check("pid", props));
        assertEquals(List.of("prot", "zzz"), SAMPLE.unknown(props.keySet()));
        assertTrue(e.getMessage().startsWith("pid: prot = '1': unknown key (did you mean 'port'?); also unknown: zzz"),
                e.getMessage());
    }

    @Test
    void knownKeysPass() {
        SAMPLE.check("pid", Map.of("port", "1", "listen", "::", "service.pid", "x"));
    }

    @Test
    void sourceWithoutFileIsThePid() {
        assertEquals("websocksy.transport", ConfigKeys.source(Map.of(), "websocksy.transport"));
        assertEquals("/a/b.cfg (p)", ConfigKeys.source(Map.of("service.pid", "p", "felix.fileinstall.filename", "/a/b.cfg"), "x"));
    }
}
