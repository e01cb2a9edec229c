package io.websocksy.launcher;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.websocksy.api.config.ConfigKeys;

/**
 * The C websocksy's INI configuration file:
 *
 * <pre>
 * [core]
 * port = 8001
 * listen = ::
 * ping = 30
 * backend = file
 *
 * [backend]
 * path = /etc/websocksy/routes
 * expression = %endpoint%.txt
 * expression = default.txt
 * </pre>
 *
 * <p>Lines are {@code key = value} with spaces around key and value trimmed; blank lines and lines whose
 * first non-blank character is {@code #} or {@code ;} are comments (there are no comments after a value:
 * a value may contain {@code #}). CRLF line ends and a UTF-8 byte order mark are accepted. Lines before the
 * first section belong to {@code [core]}, as in the original. A {@code [core]} key may appear once;
 * {@code [backend]} lines are handed to the backend in order, and repeated keys accumulate. Which backend
 * they configure is the {@code [core]} {@code backend} wherever it appears in the file.
 */
public final class IniFile {
    /** The [core] keys; an unknown one is reported with the closest of them, as the .cfg files' keys are. */
    static final ConfigKeys CORE_KEYS = ConfigKeys.of(java.util.List.of("port", "listen", "ping", "backend"));

    private IniFile() {
    }

    /**
     * @param file the file
     * @param name the file name as the user wrote it (used in messages)
     * @return the spec (not yet validated)
     * @throws ConfigError for an unreadable file or a bad line
     */
    public static LaunchSpec read(Path file, String name) throws ConfigError {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw ConfigError.at(name, "no such configuration file");
        } catch (IOException e) {
            throw ConfigError.at(name, "cannot read the configuration file: " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw ConfigError.at(name, "not a UTF-8 text file");
        }
        return parse(text, name);
    }

    /**
     * @param text the file's content
     * @param name the file name for messages
     * @return the spec (not yet validated)
     * @throws ConfigError for a bad line
     */
    public static LaunchSpec parse(String text, String name) throws ConfigError {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        LaunchSpec spec = new LaunchSpec();
        Map<String, Integer> coreSeen = new HashMap<>();
        boolean backendSection = false;
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String raw = lines[n];
            if (raw.endsWith("\r")) {
                raw = raw.substring(0, raw.length() - 1);
            }
            String line = raw.strip();
            String where = name + ":" + (n + 1);
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]")) {
                    throw ConfigError.at(where, "'" + line + "': malformed section header (expected [core] or [backend])");
                }
                String section = line.substring(1, line.length() - 1).strip();
                if (section.equals("core")) {
                    backendSection = false;
                } else if (section.equals("backend")) {
                    backendSection = true;
                } else {
                    throw ConfigError.at(where, "[" + section + "]: unknown section (expected [core] or [backend])");
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw ConfigError.at(where, "'" + line + "': expected key = value");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (key.isEmpty()) {
                throw ConfigError.at(where, "'" + line + "': empty key");
            }
            Setting s = new Setting(key, value, where);
            if (backendSection) {
                spec.options.add(s);
                continue;
            }
            Integer first = coreSeen.putIfAbsent(key, n + 1);
            switch (key) {
                case "port":
                    spec.port = s;
                    break;
                case "listen":
                    spec.listen = s;
                    break;
                case "ping":
                    spec.ping = s;
                    break;
                case "backend":
                    spec.backend = s;
                    break;
                default:
                    throw ConfigError.of(s, "unknown [core] key " + CORE_KEYS.hint(key));
            }
            if (first != null) {
                throw ConfigError.of(s, "duplicate [core] key (first set at line " + first + ")");
            }
        }
        return spec;
    }
}
