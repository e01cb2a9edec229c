package io.websocksy.framer.json.internal;

import io.websocksy.framer.testkit.Driver;

import static io.websocksy.framer.testkit.Driver.assertAllModes;
import static io.websocksy.framer.testkit.Driver.concat;
import static io.websocksy.framer.testkit.Driver.hex;
import static io.websocksy.framer.testkit.Driver.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.websocksy.api.framer.Decision;
import io.websocksy.api.framer.FramerConfigException;
import io.websocksy.api.framer.FramingState;
import io.websocksy.framer.testkit.Driver.Msg;

class JsonFramerTest {
    private final JsonFramer framer = new JsonFramer();

    private void expect(String input, Msg... messages) {
        assertAllModes(() -> framer.open(""), utf8(input), List.of(messages));
    }

    private static Msg t(String s) {
        return Msg.text(s);
    }

    private static Msg b(String s) {
        return Msg.binary(s);
    }

    // ---- config ----

    @Test
    void takesNoConfiguration() throws FramerConfigException {
        framer.open("");
        framer.open("  ");
        FramerConfigException e = assertThrows(FramerConfigException.class, () -> framer.open("strict"));
        assertEquals("json takes no configuration, got 'strict'", e.getMessage());
    }

    // ---- values ----

    @Test
    void nestedObjectsAndArrays() {
        expect("{\"a\":{\"b\":[1,2,{\"c\":null}],\"e\":{}},\"d\":\"x\",\"f\":[[],[true,false]]}",
                t("{\"a\":{\"b\":[1,2,{\"c\":null}],\"e\":{}},\"d\":\"x\",\"f\":[[],[true,false]]}"));
    }

    @Test
    void whitespaceInsideAValueIsKeptAndAroundValuesDropped() {
        expect(" \r\n\t{ \"a\" :\n [ 1 , 2 ] }\n\n[ ]  ",
                t("{ \"a\" :\n [ 1 , 2 ] }"), t("[ ]"));
    }

    @Test
    void stringsWithBracesAndEscapedQuotes() {
        expect("\"a\\\"}\"{\"k\":\"}]{[\\\"\\\\\"}[\"\\\\\",\"\\\"\"]",
                t("\"a\\\"}\""), t("{\"k\":\"}]{[\\\"\\\\\"}"), t("[\"\\\\\",\"\\\"\"]"));
    }

    @Test
    void everyEscape() {
        expect("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00 \\uABCD\"",
                t("\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\uD83D\\uDE00 \\uABCD\""));
    }

    @Test
    void rawUtf8InStringsIsText() {
        expect("[\"é\",\"€\",\"😀\",\"\u07ff\uffff\"]", t("[\"é\",\"€\",\"😀\",\"\u07ff\uffff\"]"));
    }

    @Test
    void valuesBackToBackWithoutWhitespace() {
        expect("{}[]\"x\"1 2", t("{}"), t("[]"), t("\"x\""), t("1"), t("2"));
        expect("truefalsenull[null]", t("true"), t("false"), t("null"), t("[null]"));
        expect("1\"x\"2[3]4{}5,", t("1"), t("\"x\""), t("2"), t("[3]"), t("4"), t("{}"), t("5"), b(","));
    }

    @Test
    void whitespaceOnlyInputSendsNothingAndDropsNothing() {
        expect(" \n\r\t  \n");
        expect("");
    }

    @Test
    void recordSeparatorsOfJsonTextSequencesAreDropped() {
        expect("\u001e{\"a\":1}\n\u001e[2]\n\u001e3\n", t("{\"a\":1}"), t("[2]"), t("3"));
    }

    @Test
    void numbers() {
        expect("0 -0 1.5 -12.34e-5 1E+2 0e0 123456789012345678901234567890 0.000",
                t("0"), t("-0"), t("1.5"), t("-12.34e-5"), t("1E+2"), t("0e0"),
                t("123456789012345678901234567890"), t("0.000"));
        expect("[1,-2.5e3,0,{\"n\":-0.0E-0}]", t("[1,-2.5e3,0,{\"n\":-0.0E-0}]"));
    }

    @Test
    void numberAtEndOfStreamIsComplete() {
        expect("42", t("42"));
        expect("[1] -3.25e+7", t("[1]"), t("-3.25e+7"));
        expect("0", t("0"));
    }

    @Test
    void numberNeedsADelimiterBeforeEndOfStream() throws FramerConfigException {
        FramingState s = framer.open("");
        assertEquals(Decision.needMore(), s.next(ByteBuffer.wrap(utf8("123"))));
        assertEquals(Decision.text(4), s.next(ByteBuffer.wrap(utf8("1234 "))));
    }

    @Test
    void literalsAreCompleteAtTheirLastByte() throws FramerConfigException {
        FramingState s = framer.open("");
        assertEquals(Decision.text(4), s.next(ByteBuffer.wrap(utf8("true"))));
        assertEquals(Decision.needMore(), s.next(ByteBuffer.wrap(utf8("fals"))));
        assertEquals(Decision.text(5), s.next(ByteBuffer.wrap(utf8("false"))));
    }

    // ---- syntax errors: the value so far plus the offending byte, as binary, then a fresh start ----

    @Test
    void syntaxErrorRecovery() {
        expect("[1,}]{\"a\":1}", b("[1,}"), b("]"), t("{\"a\":1}"));
        expect("trux true", b("trux"), t("true"));
        expect("{\"a\" 1}[]", b("{\"a\" 1"), b("}"), t("[]"));
        expect("{\"a\":1,}", b("{\"a\":1,}"));
        expect("{1:2} {}", b("{1"), b(":"), t("2"), b("}"), t("{}"));
        expect("[1 2]", b("[1 2"), b("]"));
        expect("[\"a\"\"b\"]", b("[\"a\"\""), b("b"), b("\"]"));
        expect("}{}", b("}"), t("{}"));
        expect("hello", b("h"), b("e"), b("l"), b("l"), b("o"));
        expect("[}", b("[}"));
        expect("{]", b("{]"));
        expect("[1}", b("[1}"));
        expect("{\"a\":1]", b("{\"a\":1]"));
    }

    @Test
    void numberGrammarErrors() {
        expect("01 ", b("01"));
        expect("-01 ", b("-01"));
        expect("1.x 2", b("1.x"), t("2"));
        expect("+1 ", b("+"), t("1"));
        expect(".5 ", b("."), t("5"));
        expect("1e+ 3", b("1e+ "), t("3"));
        expect("1a", b("1a"));
        expect("1-", b("1-"));
        expect("1.5.2 ", b("1.5."), t("2"));
        expect("--1", b("--"), t("1"));
        expect("[01]", b("[01"), b("]"));
    }

    @Test
    void unfinishedValueAtEndOfStreamIsBinary() {
        expect("{\"a\":", b("{\"a\":"));
        expect("[1,2", b("[1,2"));
        expect("\"abc", b("\"abc"));
        expect("nul", b("nul"));
        expect("-", b("-"));
        expect("1.", b("1."));
        expect("1e", b("1e"));
        expect("1E-", b("1E-"));
        expect("{} [", t("{}"), b("["));
        expect("\"\\u12", b("\"\\u12"));
    }

    @Test
    void controlCharactersAndBadEscapesInStrings() {
        expect("\"a\nb\" 1", b("\"a\n"), b("b"), b("\" 1"));
        expect("\"tab\there\"", b("\"tab\t"), b("h"), b("e"), b("r"), b("e"), b("\""));
        expect("\"\\x\" {}", b("\"\\x"), b("\" {}"));
        expect("\"\\u12G4\"", b("\"\\u12G"), t("4"), b("\""));
        expect("[\"\u0000\"]", b("[\"\u0000"), b("\"]"));
    }

    @Test
    void nonAsciiOutsideStringsIsASyntaxError() {
        assertAllModes(() -> framer.open(""), concat(hex("efbbbf"), utf8("{}")),
                List.of(Msg.binary(hex("ef")), Msg.binary(hex("bb")), Msg.binary(hex("bf")), t("{}")));
        assertAllModes(() -> framer.open(""), utf8("[é]"),
                List.of(Msg.binary(hex("5bc3")), Msg.binary(hex("a9")), b("]")));
    }

    // ---- invalid UTF-8 inside strings: the value is kept whole and sent as binary ----

    @ParameterizedTest(name = "string bytes {0}")
    @ValueSource(strings = {"ff", "c0af", "e080af", "eda080", "f4908080", "80", "c3", "e282", "c328", "f0908d"})
    void invalidUtf8InAStringSendsTheWholeValueAsBinary(String bad) {
        byte[] value = concat(utf8("{\"k\":[\"a"), hex(bad), utf8("\",\"}\"]}"));
        assertAllModes(() -> framer.open(""), concat(value, utf8(" \"ok\"")),
                List.of(Msg.binary(value), t("\"ok\"")));
    }

    @Test
    void validMultiByteSequencesAtTheEdgesOfTheirRanges() {
        // U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF, U+10000, U+10FFFF
        byte[] value = concat(utf8("\""), hex("c280 dfbf e0a080 ed9fbf ee8080 efbfbf f0908080 f48fbfbf"), utf8("\""));
        assertAllModes(() -> framer.open(""), value, List.of(new Msg(true, value)));
    }

    // ---- depth ----

    @Test
    void veryDeepNestingDoesNotOverflowTheStack() throws FramerConfigException {
        int depth = 100_000;
        String deep = "[".repeat(depth) + "]".repeat(depth);
        Driver.Result whole = Driver.whole(framer.open(""), utf8(deep + " " + deep));
        assertEquals(List.of(t(deep), t(deep)), whole.messages());
        Driver.Result bytes = Driver.byteByByte(framer.open(""), utf8(deep));
        assertEquals(List.of(t(deep)), bytes.messages());

        String objects = "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
        assertEquals(List.of(t(objects)), Driver.chopped(framer.open(""), utf8(objects), 7, 300, false).messages());

        // never closed: the bridge's buffer limit ends it (1009); at end of stream it goes out as binary
        JsonState s = (JsonState) framer.open("");
        byte[] open = utf8("[{\"x\":".repeat(depth));
        assertEquals(Decision.needMore(), s.next(ByteBuffer.wrap(open)));
        assertEquals(2 * depth, s.depth());
        assertEquals(Decision.binary(open.length), s.endOfStream(ByteBuffer.wrap(open)));
    }

    @Test
    void mismatchedCloserDeepInside() {
        String v = "[".repeat(70) + "{}" + "]".repeat(69) + "}";
        expect(v, b(v));
    }

    // ---- linear time and no allocation ----

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"string", "array", "object", "number"})
    void oneMebibyteValueFedOneByteAtATimeIsScannedOnce(String kind) throws FramerConfigException {
        int size = 1 << 20;
        byte[] input = bigValue(kind, size);
        JsonState state = (JsonState) framer.open("");
        Counting counting = new Counting(state);
        Driver driver = new Driver(counting, false);
        for (int at = 0; at < input.length; at++) {
            driver.read(input, at, 1);
        }
        Driver.Result r = driver.finish();
        assertEquals(1, r.messages().size());
        assertArrayEquals(input, r.messages().get(0).bytes());
        assertTrue(r.messages().get(0).text());
        // the framer was shown about size^2/2 bytes in total (5 * 10^11) but examined each one once
        assertTrue(counting.bytesOffered > (long) input.length * input.length / 4, "the buffer really grew");
        // a byte that ends a number inside a container is looked at twice: as the end of the number
        // and as what follows it
        long numberEnds = 0;
        for (int i = 1; i < input.length; i++) {
            if (input[i - 1] >= '0' && input[i - 1] <= '9' && (input[i] == ',' || input[i] == ']' || input[i] == '}')) {
                numberEnds++;
            }
        }
        assertTrue(state.examined() <= input.length + numberEnds,
                "examined " + state.examined() + " bytes for a " + input.length + "-byte value");
    }

    @Test
    void workGrowsLinearlyWithTheInput() throws FramerConfigException {
        long small = examinedFor(1 << 16);
        long large = examinedFor(1 << 18);
        assertTrue(large <= 4.1 * small, "64 KiB: " + small + ", 256 KiB: " + large);
    }

    private long examinedFor(int size) throws FramerConfigException {
        byte[] input = bigValue("object", size);
        JsonState state = (JsonState) framer.open("");
        Driver.chopped(state, input, 5, 3, false);
        return state.examined();
    }

    @Test
    void scanningDoesNotAllocatePerByte() throws FramerConfigException {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "no allocation counter on this JVM");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) mx;
        assumeTrue(counter.isThreadAllocatedMemorySupported() && counter.isThreadAllocatedMemoryEnabled());
        byte[] input = bigValue("object", 1 << 20);
        ByteBuffer view = ByteBuffer.wrap(input).asReadOnlyBuffer();
        // warm up, so the JIT has compiled the scanner
        for (int round = 0; round < 3; round++) {
            JsonState warm = (JsonState) framer.open("");
            for (int n = 1; n < input.length; n += 97) {
                view.limit(n);
                warm.next(view);
            }
        }
        JsonState state = (JsonState) framer.open("");
        long thread = Thread.currentThread().getId();
        long before = counter.getThreadAllocatedBytes(thread);
        for (int n = 1; n < input.length; n += 7) {
            view.limit(n);
            state.next(view);
        }
        long allocated = counter.getThreadAllocatedBytes(thread) - before;
        assertTrue(state.examined() >= input.length - 8);
        // one byte per examined byte would be over 1 MiB; the bit stack for this depth is a few KiB
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes scanning " + input.length);
    }

    /** A valid JSON value of about {@code size} bytes. */
    private static byte[] bigValue(String kind, int size) {
        switch (kind) {
            case "string": {
                byte[] b = new byte[size];
                Arrays.fill(b, (byte) 'a');
                b[0] = '"';
                b[size - 1] = '"';
                for (int i = 1000; i < size - 10; i += 1000) {
                    b[i] = '\\';
                    b[i + 1] = '"';
                }
                return b;
            }
            case "array": {
                int depth = size / 4;
                return utf8("[".repeat(depth) + "1" + ",2]".repeat(depth));
            }
            case "object":
                return utf8("{\"k\":[" + "{\"a\":[1,\"}\"],\"b\":null},".repeat(size / 26) + "0]}");
            case "number":
                return utf8("-1." + "7".repeat(size - 10) + "e+123");
            default:
                throw new IllegalArgumentException(kind);
        }
    }

    // ---- random values against a reference writer ----

    @Test
    void randomValuesWithRandomSeparatorsComeOutExactly() {
        Random r = new Random(20261125);
        for (int round = 0; round < 60; round++) {
            List<Msg> expected = new ArrayList<>();
            StringBuilder input = new StringBuilder();
            int count = 1 + r.nextInt(6);
            String previous = "";
            for (int i = 0; i < count; i++) {
                String separators = " \n\t\r\u001e".substring(0, r.nextInt(6));
                String v = randomValue(r, 0);
                if (separators.isEmpty() && !previous.isEmpty() && startsNumber(previous)) {
                    separators = " "; // a top-level number ends only at a delimiter
                }
                input.append(separators).append(v);
                expected.add(t(v));
                previous = v;
            }
            assertAllModes(() -> framer.open(""), utf8(input.toString()), expected);
        }
    }

    private static boolean startsNumber(String v) {
        char c = v.charAt(0);
        return c == '-' || c >= '0' && c <= '9';
    }

    private static String randomValue(Random r, int depth) {
        int kind = r.nextInt(depth > 4 ? 5 : 7);
        switch (kind) {
            case 0:
                return List.of("true", "false", "null").get(r.nextInt(3));
            case 1:
                return List.of("0", "-0", "12", "-3.5", "1e9", "2.5E-3", "-0.0e+1", "9007199254740993").get(r.nextInt(8));
            case 2:
            case 3:
            case 4:
                return "\"" + List.of("", "a", "}{][", "\\\"", "\\\\", "é😀", "\\u0041", ",:", " x ").get(r.nextInt(9))
                        + "\"";
            case 5: {
                StringBuilder b = new StringBuilder("[");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? "," : "").append(r.nextBoolean() ? " " : "").append(randomValue(r, depth + 1));
                }
                return b.append("]").toString();
            }
            default: {
                StringBuilder b = new StringBuilder("{");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i > 0 ? "," : "").append("\"k").append(i).append("\"")
                            .append(r.nextBoolean() ? " : " : ":").append(randomValue(r, depth + 1));
                }
                return b.append("}").toString();
            }
        }
    }

    /** Arbitrary bytes: the output never depends on how the input was split, and only separators are dropped. */
    @Test
    void randomBytesGiveTheSameMessagesHoweverTheyAreSplit() throws FramerConfigException {
        byte[] alphabet = utf8("{}[]\",:\\ \n01-.eE+tuna\u00e9x");
        alphabet = concat(alphabet, hex("ff c3 80 1e 07"));
        Random r = new Random(7);
        for (int round = 0; round < 200; round++) {
            byte[] input = new byte[r.nextInt(120)];
            for (int i = 0; i < input.length; i++) {
                input[i] = alphabet[r.nextInt(alphabet.length)];
            }
            Map<String, Driver.Result> all = Driver.allModes(() -> framer.open(""), input);
            List<Msg> reference = all.get("whole").messages();
            all.forEach((mode, res) -> {
                assertEquals(reference, res.messages(), mode + " on " + Driver.Msg.binary(input));
                assertEquals(0, res.droppedAtEnd(), mode);
            });
            // every byte that is not a separator between values comes out, in order
            byte[] out = all.get("whole").concatenated();
            assertTrue(out.length <= input.length);
            int at = 0;
            for (byte c : input) {
                if (at < out.length && out[at] == c) {
                    at++;
                } else {
                    assertTrue(c == ' ' || c == '\n' || c == 0x1e, "dropped a non-separator byte " + c);
                }
            }
            assertEquals(out.length, at);
        }
    }

    // ---- datagrams and misc ----

    @Test
    void datagramsAreTextWhenValidUtf8() throws FramerConfigException {
        FramingState s = framer.open("");
        assertEquals(Decision.text(7), s.datagram(ByteBuffer.wrap(utf8("{\"a\":1}"))));
        assertEquals(Decision.binary(2), s.datagram(ByteBuffer.wrap(hex("7bff"))));
    }

    @Test
    void readsFromTheBufferPosition() throws FramerConfigException {
        ByteBuffer buf = ByteBuffer.wrap(utf8("xxxxx[1] ")).asReadOnlyBuffer();
        buf.position(5);
        assertEquals(Decision.text(3), framer.open("").next(buf));
    }

    @Test
    void aForeignShorterBufferRestartsTheScan() throws FramerConfigException {
        FramingState s = framer.open("");
        assertEquals(Decision.needMore(), s.next(ByteBuffer.wrap(utf8("[1,2,3"))));
        assertEquals(Decision.text(2), s.next(ByteBuffer.wrap(utf8("{}"))));
    }

    @Test
    void emptyBufferNeedsMore() throws FramerConfigException {
        assertEquals(Decision.needMore(), framer.open("").next(ByteBuffer.allocate(0)));
        assertFalse(framer.open("").next(ByteBuffer.wrap(utf8("["))).emits());
    }

    /** Counts what the framer is shown. */
    static final class Counting implements FramingState {
        final FramingState delegate;
        long bytesOffered;

        Counting(FramingState delegate) {
            this.delegate = delegate;
        }

        @Override
        public Decision next(ByteBuffer buffered) {
            bytesOffered += buffered.remaining();
            return delegate.next(buffered);
        }

        @Override
        public Decision endOfStream(ByteBuffer buffered) {
            return delegate.endOfStream(buffered);
        }
    }

    // ---- the word-at-a-time string scan and the digit runs (edge cases of the fast paths) ----

    private static Decision firstDecision(FramingState st, byte[] in, java.nio.ByteOrder order, boolean direct) {
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(in.length + 3) : ByteBuffer.allocate(in.length + 3);
        buf.position(3);
        buf.put(in).flip();
        buf.position(3); // a position that is not word-aligned
        return st.next(buf.asReadOnlyBuffer().order(order));
    }

    @Test
    void aSpecialByteAtEveryPositionOfTheWordsInAStringIsFound() throws FramerConfigException {
        for (java.nio.ByteOrder order : List.of(java.nio.ByteOrder.BIG_ENDIAN, java.nio.ByteOrder.LITTLE_ENDIAN)) {
            for (boolean direct : new boolean[] {true, false}) {
                for (int at = 0; at < 20; at++) {
                    String run = "a".repeat(at);
                    String where = order + (direct ? " direct" : " heap") + ", after " + at + " ASCII bytes";
                    // the closing quote
                    assertEquals(Decision.text(at + 2), firstDecision(framer.open(""),
                            utf8("\"" + run + "\"" + "x".repeat(16)), order, direct), where);
                    // an escaped quote does not end the string
                    assertEquals(Decision.text(at + 5), firstDecision(framer.open(""),
                            utf8("\"" + run + "\\\"b\"" + "y".repeat(16)), order, direct), where);
                    // a raw control character is an error at that byte
                    assertEquals(Decision.binary(at + 2), firstDecision(framer.open(""),
                            utf8("\"" + run + "\u0001" + "z".repeat(16)), order, direct), where);
                    // a valid two-byte character keeps the value text
                    assertEquals(Decision.text(at + 5), firstDecision(framer.open(""),
                            utf8("\"" + run + "\u00e9b\"" + "w".repeat(16)), order, direct), where);
                    // invalid UTF-8 right after the ASCII run makes the value binary
                    byte[] bad = concat(utf8("\"" + run), new byte[] {(byte) 0xC0, (byte) 0xAF}, utf8("\"" + "v".repeat(16)));
                    assertEquals(Decision.binary(at + 4), firstDecision(framer.open(""), bad, order, direct), where);
                    // a high bit at this position, the rest of the word ASCII, invalid (a lone continuation byte)
                    byte[] lone = concat(utf8("\"" + run), new byte[] {(byte) 0x80}, utf8("cd\"" + "u".repeat(16)));
                    assertEquals(Decision.binary(at + 5), firstDecision(framer.open(""), lone, order, direct), where);
                }
            }
        }
    }

    @Test
    void digitRunsEndAtTheirDelimiterAndAtTheEndOfARead() {
        for (int n = 1; n < 20; n++) {
            String digits = "1234567890123456789012".substring(0, n);
            expect(digits + " [" + digits + "," + digits + ".5e" + digits + "]" + digits + "x",
                    t(digits), t("[" + digits + "," + digits + ".5e" + digits + "]"), b(digits + "x"));
        }
    }
}
