package io.websocksy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class FramerCatalogTest {
    @Test
    void findsTheBuiltInFramersFromTheirDsDescriptors() {
        Map<String, FramerCatalog.Entry> all = FramerCatalog.discover();
        for (String name : new String[] {"auto", "binary", "newline", "separator"}) {
            assertTrue(all.containsKey(name), name + " not found in " + all.keySet());
            assertTrue(all.get(name).implementation().startsWith("io.websocksy.framers."), all.get(name).toString());
        }
    }

    @Test
    void everyFramerConsumesItsBenchInputToTheEnd() throws Exception {
        for (String name : FramerCatalog.names()) {
            byte[] in = FramerInputs.input(name);
            assertTrue(in.length > FramerInputs.CHUNK - 4096 && in.length <= FramerInputs.CHUNK,
                    name + ": input of " + in.length + " bytes");
            int messages = Main.messagesPerChunk(name);
            assertTrue(messages > 0, name + " emitted nothing");
            if (name.equals("binary") || name.equals("auto")) {
                assertEquals(1, messages, name + " should pass a whole read through as one message");
            }
        }
    }
}
