package io.websocksy.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class PasswordCheckTest {
    @Test
    void pbkdf2FormRoundTripsAndRejectsOtherPasswords() {
        byte[] salt = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        String form = PasswordCheck.pbkdf2Form("s3cret wörd", salt, 20_000);
        assertTrue(form.startsWith("{pbkdf2-sha256}20000$"), form);
        PasswordCheck c = PasswordCheck.parse(form);
        assertFalse(c.plain());
        assertTrue(c.matches("s3cret wörd"));
        assertFalse(c.matches("s3cret word"));
        assertFalse(c.matches(""));
        assertFalse(c.matches(null));
    }

    /** A hash printed by the README's Python one-liner (hashlib.pbkdf2_hmac), not by this code. */
    @Test
    void pbkdf2MatchesAHashMadeByPython() {
        // python3 -c "import hashlib,base64;print(base64.b64encode(hashlib.pbkdf2_hmac('sha256',b'admin',b'saltsalt',10000)).decode())"
        PasswordCheck c = PasswordCheck.parse("{pbkdf2-sha256}10000$c2FsdHNhbHQ=$C5aPr1xEPj8Cn8fDSfCP5gDsEeFnVYOvo+aZclt90PA=");
        assertTrue(c.matches("admin"));
        assertFalse(c.matches("admin "));
        // the README's one-liner itself (310000 iterations, random salt), run with the password "x"
        PasswordCheck readme = PasswordCheck.parse(
                "{pbkdf2-sha256}310000$RFTZYoDq4tXmpdEEsxlH+Q==$Nfe9006QSY/R/2tjr+5g0UJEKHypzxIXFQLDh9Y18AQ=");
        assertTrue(readme.matches("x"));
        assertFalse(readme.matches("y"));
    }

    @Test
    void sha256IsTheWebConsolesOwnFormat() {
        // the Web Console's own default password hash, of "admin" (OsgiManager.DEFAULT_PASSWORD)
        PasswordCheck c = PasswordCheck.parse("{sha-256}jGl25bVBBBW96Qi9Te4V37Fnqchz/Eu4qB9vKrRIqRg=");
        assertTrue(c.matches("admin"));
        assertFalse(c.matches("Admin"));
        assertFalse(c.plain());
    }

    @Test
    void plainPasswordsWork() {
        PasswordCheck c = PasswordCheck.parse("hunter2");
        assertTrue(c.plain());
        assertTrue(c.matches("hunter2"));
        assertFalse(c.matches("hunter"));
    }

    @Test
    void malformedValuesAreRefusedWithoutRepeatingThem() {
        assertEquals("password is empty", assertThrows(IllegalArgumentException.class, () -> PasswordCheck.parse(" "))
                .getMessage());
        String m = assertThrows(IllegalArgumentException.class, () -> PasswordCheck.parse("{md5}abcdef")).getMessage();
        assertTrue(m.contains("unknown hash scheme {md5}"), m);
        m = assertThrows(IllegalArgumentException.class, () -> PasswordCheck.parse("{sha-256}not base64!")).getMessage();
        assertTrue(m.contains("not base64"), m);
        m = assertThrows(IllegalArgumentException.class, () -> PasswordCheck.parse("{sha-256}AAAA")).getMessage();
        assertTrue(m.contains("32 bytes"), m);
        m = assertThrows(IllegalArgumentException.class, () -> PasswordCheck.parse("{pbkdf2-sha256}100$AAAAAAAAAAA=$"
                + "AAAAAAAAAAAAAAAAAAAAAA==")).getMessage();
        assertTrue(m.contains("at least 10000 iterations"), m);
        m = assertThrows(IllegalArgumentException.class, () -> PasswordCheck.parse("{pbkdf2-sha256}20000$AAAA"))
                .getMessage();
        assertTrue(m.contains("ITERATIONS$SALT$HASH"), m);
    }
}
