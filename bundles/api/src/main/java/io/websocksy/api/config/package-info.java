/**
 * Checking configuration keys: {@link io.websocksy.api.config.ConfigKeys} knows the keys of one
 * configuration (from its metatype annotation or a list), reports an unknown key with the closest
 * known one, and names the file a configuration came from. The bridge, the backends and the
 * launcher use it for {@code .cfg} files, the command line and the INI file alike, and so may a
 * plug-in for its own configuration.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package io.websocksy.api.config;
