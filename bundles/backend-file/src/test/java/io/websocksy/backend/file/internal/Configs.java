package io.websocksy.backend.file.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.Map;

/** Builds a {@link Config} as SCR would: the given keys (method names) override the annotation's defaults. */
final class Configs {
    private Configs() {
    }

    static Config config(Map<String, Object> values) {
        return (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[] {Config.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return Config.class;
                    }
                    if (method.getDeclaringClass() == Object.class || method.getDeclaringClass() == Annotation.class) {
                        if (method.getName().equals("toString")) {
                            return "Config" + values;
                        }
                        throw new UnsupportedOperationException(method.getName());
                    }
                    Object v = values.get(method.getName());
                    if (v instanceof String && method.getReturnType() == String[].class) {
                        return new String[] {(String) v}; // SCR: scalar to single-element array, no splitting
                    }
                    return v != null ? v : method.getDefaultValue();
                });
    }
}
