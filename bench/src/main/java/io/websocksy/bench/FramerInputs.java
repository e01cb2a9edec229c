package io.websocksy.bench;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Realistic input for each framer: close to {@link #CHUNK} bytes made of whole messages, so one
 * benchmark operation (one 64 KiB read offered to the framer) ends exactly on a message boundary and
 * the framer state is clean for the next operation. Deterministic (fixed seeds).
 */
public final class FramerInputs {
    /** Size of one read offered to the framer. */
    public static final int CHUNK = 64 * 1024;

    private FramerInputs() {
    }

    /**
     * @param framer framer name
     * @return the config string used for it
     */
    public static String config(String framer) {
        switch (framer) {
            case "separator": return "\\x00";
            case "newline": return "crlf";
            case "fixedlength": return "1024";
            case "dynamic32": return "offset=0,static=0,endian=little";
            default: return "";
        }
    }

    /**
     * @param framer framer name
     * @return the input bytes (at most {@link #CHUNK})
     */
    public static byte[] input(String framer) {
        switch (framer) {
            case "binary": return Payloads.random(CHUNK);
            case "auto": return text(CHUNK);
            case "newline": return lines(CHUNK, "\r\n");
            case "separator": return records(CHUNK);
            case "fixedlength": return Payloads.random(CHUNK);
            case "dynamic32": return lengthPrefixed(CHUNK);
            case "json": return json(CHUNK);
            default: return lines(CHUNK, "\n"); // unknown third-party framer: line-oriented text
        }
    }

    private static final String[] WORDS = {"the", "bridge", "forwards", "bytes", "from", "peer", "to", "client",
        "über", "naïve", "café", "€42", "日本語", "ok", "status", "value", "frame", "message", "latency", "πλ"};

    /** UTF-8 prose with about 5 % multi-byte characters, ending on a character boundary. */
    static byte[] text(int max) {
        SplittableRandom r = new SplittableRandom(1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(max);
        while (true) {
            byte[] w = (WORDS[r.nextInt(WORDS.length)] + (r.nextInt(12) == 0 ? ".\n" : " "))
                    .getBytes(StandardCharsets.UTF_8);
            if (out.size() + w.length > max) {
                return out.toByteArray();
            }
            out.writeBytes(w);
        }
    }

    /** Log-like lines of 40 to 160 bytes, each with the terminator. */
    static byte[] lines(int max, String eol) {
        SplittableRandom r = new SplittableRandom(2);
        ByteArrayOutputStream out = new ByteArrayOutputStream(max);
        StringBuilder sb = new StringBuilder();
        while (true) {
            sb.setLength(0);
            sb.append("2026-11-25T10:").append(10 + r.nextInt(50)).append(" INFO ");
            int target = 40 + r.nextInt(120);
            while (sb.length() < target) {
                sb.append(WORDS[r.nextInt(WORDS.length)]).append(' ');
            }
            sb.append(eol);
            byte[] l = sb.toString().getBytes(StandardCharsets.UTF_8);
            if (out.size() + l.length > max) {
                return out.toByteArray();
            }
            out.writeBytes(l);
        }
    }

    /** Binary records of 64 to 512 non-zero bytes, each followed by a 0x00 separator. */
    static byte[] records(int max) {
        SplittableRandom r = new SplittableRandom(3);
        ByteArrayOutputStream out = new ByteArrayOutputStream(max);
        while (true) {
            int n = 64 + r.nextInt(449);
            if (out.size() + n + 1 > max) {
                return out.toByteArray();
            }
            for (int i = 0; i < n; i++) {
                out.write(1 + r.nextInt(255));
            }
            out.write(0);
        }
    }

    /** Messages with a 32-bit little-endian length prefix and 100 to 2000 payload bytes. */
    static byte[] lengthPrefixed(int max) {
        SplittableRandom r = new SplittableRandom(4);
        ByteArrayOutputStream out = new ByteArrayOutputStream(max);
        while (true) {
            int n = 100 + r.nextInt(1901);
            if (out.size() + 4 + n > max) {
                return out.toByteArray();
            }
            out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(n).array());
            for (int i = 0; i < n; i++) {
                out.write(r.nextInt(256));
            }
        }
    }

    /** Telemetry-like JSON objects (nesting, arrays, escapes, numbers, literals), newline separated. */
    static byte[] json(int max) {
        SplittableRandom r = new SplittableRandom(5);
        ByteArrayOutputStream out = new ByteArrayOutputStream(max);
        int id = 0;
        while (true) {
            StringBuilder sb = new StringBuilder(400);
            sb.append("{\"id\":").append(id++).append(",\"type\":\"sample\",\"ok\":").append(r.nextBoolean())
                    .append(",\"note\":\"a \\\"quoted\\\" word, braces {} and [] in a string, \\u00e9t\u00e9\"")
                    .append(",\"values\":[");
            int n = 3 + r.nextInt(20);
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : ",").append(r.nextInt(100000) / 100.0);
            }
            sb.append("],\"meta\":{\"host\":\"node-").append(r.nextInt(64)).append("\",\"tags\":[\"a\",\"b\"],")
                    .append("\"parent\":null,\"depth\":{\"x\":{\"y\":[1,2,{\"z\":true}]}}}}");
            byte[] b = ((out.size() == 0 ? "" : "\n") + sb).getBytes(StandardCharsets.UTF_8);
            if (out.size() + b.length > max) {
                return out.toByteArray();
            }
            out.writeBytes(b);
        }
    }
}
