package io.websocksy.ops;

import java.io.File;
import java.io.IOException;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.apache.felix.fileinstall.ArtifactInstaller;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files FileInstall would pass over in silence. FileInstall offers each new or changed file of a watched
 * directory to its listeners, highest service ranking first, and to its built-in bundle installer last; a file
 * none of them takes is retried at every poll and never mentioned. This installer has the lowest ranking, so the
 * configuration installer ({@code .cfg}, {@code .config}) is asked before it, and it declines valid bundle jars so
 * that the bundle installer after it gets them: what it does take is exactly what nothing else would. It
 * "installs" such a file by logging one WARN naming it and why it is ignored, and again only when the file
 * changes. Editor and temporary files ({@code .tmp}, {@code ~}, {@code .swp}, hidden files), directories and the
 * shell profile {@code gosh_profile} are left alone.
 */
@Component(service = ArtifactInstaller.class,
        property = "service.ranking:Integer=-2147483648")
public class IgnoredFiles implements ArtifactInstaller {
    private static final Logger LOG = LoggerFactory.getLogger(IgnoredFiles.class);

    @Override
    public boolean canHandle(File artifact) {
        return reason(artifact) != null;
    }

    @Override
    public void install(File artifact) {
        String why = reason(artifact);
        if (why != null) {
            LOG.warn("{}: ignored: {}", artifact.getAbsolutePath(), why);
        }
    }

    @Override
    public void update(File artifact) {
        install(artifact);
    }

    @Override
    public void uninstall(File artifact) {
        // it did nothing, there is nothing to undo
    }

    /**
     * @param f a file FileInstall offers
     * @return why FileInstall ignores it, or null when it is not ours to report (a bundle, a configuration, a
     *         temporary or editor file, a directory FileInstall packed into a temporary jar)
     */
    static String reason(File f) {
        String name = f.getName();
        String lower = name.toLowerCase(Locale.ROOT);
        File parent = f.getParentFile();
        if (parent != null && parent.getName().startsWith("fileinstall-")) {
            return null; // a watched sub-directory, packed by FileInstall into its temporary directory
        }
        if (f.isDirectory() || name.startsWith(".") || lower.endsWith(".tmp") || name.endsWith("~")
                || lower.endsWith(".swp") || lower.endsWith(".bak") || lower.endsWith(".part")
                || lower.contains(".dpkg-") || lower.endsWith(".rpmnew") || lower.endsWith(".rpmsave")
                || name.equals("gosh_profile")) {
            return null;
        }
        if (lower.endsWith(".cfg") || lower.endsWith(".config")) {
            return null; // the configuration installer's (checked for an unknown PID by UnknownConfigurations)
        }
        String manifestProblem = bundleProblem(f);
        if (manifestProblem == null) {
            return null; // a bundle: the bundle installer's
        }
        if (lower.endsWith(".jar")) {
            return manifestProblem;
        }
        return "neither an OSGi bundle (.jar) nor a configuration file (.cfg); FileInstall only deploys those";
    }

    /** @return null for a jar with an OSGi manifest, else what is wrong with it as a bundle */
    private static String bundleProblem(File f) {
        try (JarFile jar = new JarFile(f, false)) {
            Manifest m = jar.getManifest();
            if (m == null) {
                return "a jar without META-INF/MANIFEST.MF, so not an OSGi bundle";
            }
            if (m.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "a jar without Bundle-SymbolicName in its manifest, so not an OSGi bundle";
            }
            return null;
        } catch (IOException | SecurityException e) {
            return "not a jar (zip) file (" + e.getMessage() + "), so not an OSGi bundle";
        }
    }
}
