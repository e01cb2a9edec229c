package io.websocksy.itests.support;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 validity (the JDK decoder rejects overlongs, surrogates and code points over U+10FFFF). */
public final class Utf8Check {
    private Utf8Check() {
    }

    public static boolean valid(byte[] b, int off, int len) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, off, len));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
