package io.websocksy.bridge.internal.deflate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class NegotiationTest {
    static final DeflateConfig ON = new DeflateConfig(true, 6, 15, false, 64);

    static Negotiation.Result offer(DeflateConfig c, String... values) {
        return Negotiation.negotiate(Arrays.asList(values), c);
    }

    static String answer(DeflateConfig c, String... values) {
        Negotiation.Result r = offer(c, values);
        return r.agreed == null ? null : r.agreed.header();
    }

    @Test
    void offIgnoresEveryOffer() {
        Negotiation.Result r = offer(DeflateConfig.OFF, "permessage-deflate");
        assertNull(r.agreed);
        assertNull(r.declined);
    }

    @Test
    void noOfferNoExtension() {
        assertNull(offer(ON).agreed);
        assertNull(answer(ON, "x-webkit-deflate-frame"));
    }

    @Test
    void plainOfferAndWhatBrowsersSend() {
        assertEquals("permessage-deflate", answer(ON, "permessage-deflate"));
        // Chromium and Firefox
        assertEquals("permessage-deflate", answer(ON, "permessage-deflate; client_max_window_bits"));
        assertEquals("permessage-deflate", answer(ON, "permessage-deflate; client_max_window_bits=10"));
        assertEquals("permessage-deflate", answer(ON, "Permessage-Deflate;Client_Max_Window_Bits"));
    }

    @Test
    void serverWindowIsAnsweredOnlyWhenOffered() {
        assertEquals("permessage-deflate; server_max_window_bits=10", answer(ON, "permessage-deflate; server_max_window_bits=10"));
        DeflateConfig nine = new DeflateConfig(true, 6, 9, false, 64);
        assertEquals("permessage-deflate; server_max_window_bits=9", answer(nine, "permessage-deflate; server_max_window_bits=12"));
        assertEquals("permessage-deflate; server_max_window_bits=8", answer(nine, "permessage-deflate; server_max_window_bits=8"));
        assertEquals("permessage-deflate", answer(nine, "permessage-deflate"));
        assertEquals(9, offer(nine, "permessage-deflate").agreed.serverWindowBits);
        assertEquals(15, offer(ON, "permessage-deflate").agreed.serverWindowBits);
        assertEquals("permessage-deflate; server_max_window_bits=10", answer(ON, "permessage-deflate; server_max_window_bits=\"10\""));
    }

    @Test
    void contextTakeover() {
        Negotiation.Agreed a = offer(ON, "permessage-deflate; server_no_context_takeover").agreed;
        assertEquals("permessage-deflate; server_no_context_takeover", a.header());
        assertTrue(a.serverNoContextTakeover);
        a = offer(ON, "permessage-deflate; client_no_context_takeover").agreed;
        assertEquals("permessage-deflate; client_no_context_takeover", a.header());
        assertTrue(a.clientNoContextTakeover);
        DeflateConfig none = new DeflateConfig(true, 6, 15, true, 64);
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover", answer(none, "permessage-deflate"));
    }

    /** Every subset of the four parameters, each with every valid value form: accepted, answered consistently. */
    @Test
    void everyCombinationOfValidParameters() {
        String[][] forms = {
            {null, "server_no_context_takeover"},
            {null, "client_no_context_takeover"},
            {null, "server_max_window_bits=8", "server_max_window_bits=11", "server_max_window_bits=15"},
            {null, "client_max_window_bits", "client_max_window_bits=8", "client_max_window_bits=15"}};
        int checked = 0;
        for (int config = 0; config < 4; config++) {
            DeflateConfig c = new DeflateConfig(true, 1 + config * 2, config % 2 == 0 ? 15 : 10, config >= 2, 0);
            for (String a : forms[0]) {
                for (String b : forms[1]) {
                    for (String w : forms[2]) {
                        for (String x : forms[3]) {
                            List<String> ps = new ArrayList<>();
                            for (String p : new String[] {a, b, w, x}) {
                                if (p != null) {
                                    ps.add(p);
                                }
                            }
                            String header = "permessage-deflate" + (ps.isEmpty() ? "" : "; " + String.join("; ", ps));
                            Negotiation.Agreed g = offer(c, header).agreed;
                            assertNotNull(g, header);
                            assertEquals(a != null || c.noContextTakeover, g.serverNoContextTakeover, header);
                            assertEquals(b != null || c.noContextTakeover, g.clientNoContextTakeover, header);
                            int offered = w == null ? 15 : Integer.parseInt(w.substring(w.indexOf('=') + 1));
                            assertEquals(Math.min(offered, c.windowBits), g.serverWindowBits, header);
                            String h = g.header();
                            assertEquals(w != null, h.contains("server_max_window_bits=" + g.serverWindowBits), h);
                            assertTrue(!h.contains("client_max_window_bits"), h);
                            assertEquals(g.serverNoContextTakeover, h.contains("server_no_context_takeover"), h);
                            assertEquals(g.clientNoContextTakeover, h.contains("client_no_context_takeover"), h);
                            // the answer parses and has no duplicates
                            assertEquals(1, Negotiation.parse(h).size());
                            checked++;
                        }
                    }
                }
            }
        }
        assertEquals(4 * 2 * 2 * 4 * 4, checked);
    }

    /** RELIABILITY L7 and netty#13896: bad offers are declined with a reason, never an exception. */
    @Test
    void badOffersAreDeclined() {
        String[] bad = {
            "permessage-deflate; client_max_window_bits=abc",
            "permessage-deflate; client_max_window_bits=7",
            "permessage-deflate; client_max_window_bits=16",
            "permessage-deflate; client_max_window_bits=08",
            "permessage-deflate; client_max_window_bits=+9",
            "permessage-deflate; client_max_window_bits=99999999999999999999",
            "permessage-deflate; client_max_window_bits=\"abc\"",
            "permessage-deflate; server_max_window_bits",
            "permessage-deflate; server_max_window_bits=abc",
            "permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; client_no_context_takeover; client_no_context_takeover",
            "permessage-deflate; client_max_window_bits; client_max_window_bits=10",
            "permessage-deflate; server_max_window_bits=10; server_max_window_bits=10",
            "permessage-deflate; server_no_context_takeover=1",
            "permessage-deflate; client_no_context_takeover=true",
            "permessage-deflate; unknown_parameter",
            "permessage-deflate; x=1",
        };
        for (String b : bad) {
            Negotiation.Result r = offer(ON, b);
            assertNull(r.agreed, b);
            assertNotNull(r.declined, b);
            assertTrue(r.declined.startsWith("permessage-deflate offer declined: "), r.declined);
        }
        assertTrue(offer(ON, "permessage-deflate; client_max_window_bits=abc").declined.contains("client_max_window_bits=abc"));
        assertTrue(offer(ON, "permessage-deflate; x=1").declined.contains("unknown parameter x"));
        assertTrue(offer(ON, "permessage-deflate; server_no_context_takeover; server_no_context_takeover").declined
                .contains("duplicated parameter server_no_context_takeover"));
    }

    @Test
    void malformedHeadersAreDeclined() {
        String[] bad = {"permessage-deflate; =1", "permessage-deflate;", "permessage-deflate; a=\"x", "; permessage-deflate",
            "permessage-deflate client_max_window_bits", "permessage-deflate; a=\"\"", "permessage-deflate; a=\"x y\"",
            "permessage-deflate; a=", "perm\u00e9ssage-deflate", "foo; bar=\"a,b\", permessage-deflate"};
        for (String b : bad) {
            Negotiation.Result r = offer(ON, b);
            assertNull(r.agreed, b);
            assertNotNull(r.declined, b);
        }
    }

    @Test
    void theFirstAcceptableOfferWins() {
        assertEquals("permessage-deflate; client_no_context_takeover",
                answer(ON, "permessage-deflate; client_max_window_bits=abc, permessage-deflate; client_no_context_takeover, "
                        + "permessage-deflate"));
        assertEquals("permessage-deflate; server_max_window_bits=12",
                answer(ON, "x-webkit-deflate-frame", "permessage-deflate; server_max_window_bits=12", "permessage-deflate"));
        assertEquals("permessage-deflate", answer(ON, "foo; bar=\"a\\b\", permessage-deflate"));
        assertEquals("permessage-deflate", answer(ON, " , permessage-deflate ,"));
    }
}
