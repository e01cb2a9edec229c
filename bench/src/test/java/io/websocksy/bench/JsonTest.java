package io.websocksy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesNestedValuesWithEscapes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"q\"\\\n\u0001");
        m.put("n", 3);
        m.put("x", 1.23456);
        m.put("nan", Double.NaN);
        m.put("list", List.of(true, "s"));
        m.put("empty", Map.of());
        assertEquals("{\n  \"name\": \"a \\\"q\\\"\\\\\\n\\u0001\",\n  \"n\": 3,\n  \"x\": 1.235,\n  \"nan\": null,\n"
                + "  \"list\": [\n    true,\n    \"s\"\n  ],\n  \"empty\": {}\n}\n", Json.write(m));
    }
}
