package io.websocksy.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Where an installed websocksy keeps what: the configuration directory ({@code --etc DIR}, else
 * {@code $WEBSOCKSY_ETC}, else {@code <home>/etc}), the deploy directory of plug-in jars ({@code -Dwebsocksy.deploy},
 * set by bin/websocksy from {@code $WEBSOCKSY_DEPLOY}, else {@code <home>/deploy}), the optional state directory
 * ({@code --data DIR}, else {@code $WEBSOCKSY_DATA}: the bundle cache and Netty's extracted native libraries; one
 * process per directory) and the log directory ({@code $WEBSOCKSY_LOGS}, else {@code <home>/log}, used by file
 * appenders in {@code org.ops4j.pax.logging.cfg} as {@code ${websocksy.logs}}).
 *
 * <p>FileInstall watches both the configuration and the deploy directory, so {@code .cfg} files work in either.
 * Pax Logging starts with the configuration directory's {@code org.ops4j.pax.logging.cfg}, or the defaults in
 * {@code <home>/conf/} when there is none, and then follows the ConfigAdmin configuration FileInstall makes of it.
 */
final class Directories {
    /** Pax Logging's file read at start, before (and in the absence of) its ConfigAdmin configuration. */
    static final String PAX_PROPERTY_FILE = "org.ops4j.pax.logging.property.file";
    static final String LOGGING_CFG = "org.ops4j.pax.logging.cfg";

    private final Path home;
    private final Path etc;
    private final Path deploy;
    private final Path data;
    private final Path logs;
    private FileChannel lockChannel; // held for the life of the process
    private FileLock lock;

    private Directories(Path home, Path etc, Path deploy, Path data, Path logs) {
        this.home = home;
        this.etc = etc;
        this.deploy = deploy;
        this.data = data;
        this.logs = logs;
    }

    /**
     * @param home      the websocksy home (parent of bin/)
     * @param etcArg    {@code --etc}, or null
     * @param dataArg   {@code --data}, or null
     * @param env       the environment
     * @return the directories, checked to exist
     * @throws ConfigError naming the option or variable whose directory is missing
     */
    static Directories resolve(Path home, Path etcArg, Path dataArg, Map<String, String> env) throws ConfigError {
        Path etc = dir(etcArg, "--etc", env, "WEBSOCKSY_ETC", home.resolve("etc"), true);
        String deployProp = System.getProperty("websocksy.deploy");
        Path deploy = deployProp != null && !deployProp.isEmpty() ? Path.of(deployProp).toAbsolutePath()
                : home.resolve("deploy");
        Path data = dir(dataArg, "--data", env, "WEBSOCKSY_DATA", null, true);
        Path logs = dir(null, null, env, "WEBSOCKSY_LOGS", home.resolve("log"), false);
        return new Directories(home, etc, deploy, data, logs);
    }

    private static Path dir(Path arg, String option, Map<String, String> env, String variable, Path dflt,
            boolean mustExist) throws ConfigError {
        String source;
        Path p;
        if (arg != null) {
            p = arg;
            source = option + " " + arg;
        } else if (env.get(variable) != null && !env.get(variable).isEmpty()) {
            p = Path.of(env.get(variable));
            source = variable + "=" + env.get(variable);
        } else if (dflt != null) {
            p = dflt;
            source = null;
        } else {
            return null;
        }
        p = p.toAbsolutePath().normalize();
        if (mustExist && !Files.isDirectory(p)) {
            throw ConfigError.at(source == null ? p.toString() : source, "no such directory " + p);
        }
        return p;
    }

    /** @return the configuration directory */
    Path etc() {
        return etc;
    }

    /** @return the state directory, or null */
    Path data() {
        return data;
    }

    /** @return the bundle cache inside the state directory */
    Path cache() {
        return data.resolve("cache");
    }

    /**
     * Puts the watched directories and Pax Logging's start-up file into the framework properties, sets the
     * system properties {@code websocksy.etc}, {@code websocksy.logs} (substituted in {@code .cfg} files) and,
     * with a state directory, {@code io.netty.native.workdir}; locks the state directory.
     *
     * @param props the framework properties
     */
    void apply(Map<String, String> props) {
        String dirs = etc.equals(deploy) ? etc.toString() : etc + "," + deploy;
        props.put("felix.fileinstall.dir", dirs);
        Path logging = etc.resolve(LOGGING_CFG);
        if (!Files.isRegularFile(logging)) {
            logging = home.resolve("conf").resolve(LOGGING_CFG);
        }
        props.putIfAbsent(PAX_PROPERTY_FILE, logging.toString());
        System.setProperty("websocksy.etc", etc.toString());
        if (System.getProperty("websocksy.logs") == null) {
            System.setProperty("websocksy.logs", logs.toString());
        }
        if (data != null) {
            lockData();
            Path nativeDir = data.resolve("native");
            try {
                Files.createDirectories(nativeDir);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create " + nativeDir + ": " + e.getMessage(), e);
            }
            if (System.getProperty("io.netty.native.workdir") == null) {
                System.setProperty("io.netty.native.workdir", nativeDir.toString());
            }
        }
    }

    private void lockData() {
        Path file = data.resolve(".lock");
        try {
            lockChannel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = lockChannel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            throw new IllegalStateException("the state directory " + data
                    + " is in use by another websocksy process (lock " + file + ")");
        }
    }
}
