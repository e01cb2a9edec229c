package io.websocksy.backend.file.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateTest {

    @Test
    void partsOfATemplate() {
        Template t = Template.parse("a/%cookie:sid%-%header:X-Route%_%query:tok.en%.%endpoint%%%.txt");
        List<Template.Part> p = t.parts();
        assertEquals(List.of(Template.Kind.LITERAL, Template.Kind.COOKIE, Template.Kind.LITERAL, Template.Kind.HEADER,
                Template.Kind.LITERAL), p.subList(0, 5).stream().map(Template.Part::kind).toList());
        assertEquals("sid", p.get(1).text());
        assertEquals("X-Route", p.get(3).text());
        assertEquals("a/", p.get(0).text());
        assertEquals(Template.Kind.ENDPOINT, p.get(7).kind());
        assertEquals("%.txt", p.get(8).text());
    }

    @Test
    void plainFileName() {
        Template t = Template.parse("default.txt");
        assertEquals(1, t.parts().size());
        assertEquals("default.txt", t.expand(TestRequest.path("/x")).path());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "%foo%.txt|unknown variable '%foo%'",
        "%cookie%.txt|unknown variable '%cookie%'",
        "%Endpoint%.txt|unknown variable",
        "%env:HOME%|unknown variable '%env:HOME%'",
        "%cookie:%.txt|has no name",
        "%header:a b%.txt|not a valid header name",
        "%cookie:a;b%.txt|not a valid cookie name",
        "%endpoint.txt|unterminated variable at position 1",
        "a%|unterminated variable",
        "/etc/%endpoint%|no leading /",
        "dir/|no trailing /",
        "a//%endpoint%|empty path segment",
        "../%endpoint%.txt|'..' path segment",
        "a/./%endpoint%|'.' path segment",
        "..|'..' path segment",
        "a\\b.txt|backslash",
    })
    void badTemplatesAreConfigErrors(String template, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Template.parse(template));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void controlCharacterInTemplate() {
        assertThrows(IllegalArgumentException.class, () -> Template.parse("a\tb.txt"));
        assertThrows(IllegalArgumentException.class, () -> Template.parse("a\u0000b"));
        assertThrows(IllegalArgumentException.class, () -> Template.parse(""));
    }

    @Test
    void dotsBesideVariablesAreFine() {
        Template t = Template.parse("..%endpoint%/.%cookie:a%..txt");
        assertEquals("..vnc/.x..txt", t.expand(TestRequest.path("/vnc").cookie("a", "x")).path());
    }

    @Test
    void expansionReportsMissingAndRejected() {
        Template t = Template.parse("%cookie:a%/%endpoint%.txt");
        Template.Expansion missing = t.expand(TestRequest.path("/x"));
        assertEquals(null, missing.path());
        assertEquals(false, missing.isRejected());
        assertTrue(missing.missing().contains("%cookie:a%"), missing.missing());

        Template.Expansion rejected = t.expand(TestRequest.path("/x").cookie("a", ".."));
        assertTrue(rejected.isRejected());
        assertEquals("../x.txt", rejected.value());
    }
}
