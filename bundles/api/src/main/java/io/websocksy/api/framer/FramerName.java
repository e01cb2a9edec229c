package io.websocksy.api.framer;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * Declares a Declarative Services component's framer name: {@code @FramerName("len16")} on a
 * {@code @Component} sets the service property {@link Framer#NAME} to {@code len16}.
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface FramerName {
    /** Prefix of the property name, per the DS 1.4 single-element annotation rule. */
    String PREFIX_ = "websocksy.";

    /** @return the framer's name as users write it in configs */
    String value();
}
