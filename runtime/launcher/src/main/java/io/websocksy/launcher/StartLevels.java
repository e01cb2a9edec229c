package io.websocksy.launcher;

import org.osgi.framework.Bundle;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Starts the logging bundles (Pax Logging) one start level before everything else, so that the first line any
 * other bundle logs already goes through the configured backend and format instead of Pax Logging's
 * fallback logger; and the console (gogo.jline) one level after everything else, so that its profile finds the
 * websocksy commands and the prompt follows the start-up lines. Bundles at level 1 move to 2, bundles already placed higher keep their order one level up;
 * bundles installed later (FileInstall plug-ins) get the framework's initial bundle start level, also raised.
 */
final class StartLevels {
    static final String CONSOLE = "org.apache.felix.gogo.jline";

    private StartLevels() {
    }

    static boolean isLogging(Bundle b) {
        String bsn = b.getSymbolicName();
        return bsn != null && bsn.startsWith("org.ops4j.pax.logging");
    }

    /**
     * Before {@code fw.start()}: logging bundles to level 1, every other bundle one level up.
     *
     * @param fw the initialised, not yet started framework with the auto-deployed bundles installed
     * @return the start level the framework must reach afterwards ({@link #raise})
     */
    static int loggingFirst(Framework fw) {
        FrameworkStartLevel fsl = fw.adapt(FrameworkStartLevel.class);
        int max = 1;
        for (Bundle b : fw.getBundleContext().getBundles()) {
            if (b.getBundleId() == 0) {
                continue;
            }
            BundleStartLevel bsl = b.adapt(BundleStartLevel.class);
            if (isLogging(b)) {
                bsl.setStartLevel(1);
            } else {
                bsl.setStartLevel(bsl.getStartLevel() + 1);
                max = Math.max(max, bsl.getStartLevel());
            }
        }
        fsl.setInitialBundleStartLevel(fsl.getInitialBundleStartLevel() + 1);
        max = Math.max(max, fsl.getInitialBundleStartLevel());
        // the console last: its gosh_profile uses commands of DS components (SCR must have started them)
        for (Bundle b : fw.getBundleContext().getBundles()) {
            if (CONSOLE.equals(b.getSymbolicName())) {
                b.adapt(BundleStartLevel.class).setStartLevel(max + 1);
                return max + 1;
            }
        }
        return max;
    }

    /**
     * After {@code fw.start()} (which reached the beginning start level, by default 1: logging only): moves the
     * framework up so that everything starts, one level above the configured beginning level.
     *
     * @param fw     the started framework
     * @param needed what {@link #loggingFirst} returned
     */
    static void raise(Framework fw, int needed) {
        FrameworkStartLevel fsl = fw.adapt(FrameworkStartLevel.class);
        int target = Math.max(needed, fsl.getStartLevel() + 1);
        fsl.setStartLevel(target);
    }
}
