package io.websocksy.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Manifest;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.websocksy.api.framer.Framer;

/**
 * Finds every framer on the class path the way the OSGi runtime does: from each jar's
 * {@code Service-Component} descriptors, the components that provide {@link Framer} and their
 * {@code websocksy.framer.name} property. The framers are then used only through the public
 * {@link Framer} API. A framer bundle added to the bench's dependencies is benchmarked with no other
 * change.
 */
public final class FramerCatalog {
    private FramerCatalog() {
    }

    /**
     * @param name the framer's name
     * @param implementation implementation class
     * @param jar where it was found
     */
    public record Entry(String name, String implementation, String jar) {
        /**
         * @return a new instance (DS components with a public no-argument constructor)
         * @throws ReflectiveOperationException when it cannot be created
         */
        public Framer create() throws ReflectiveOperationException {
            return (Framer) Class.forName(implementation).getConstructor().newInstance();
        }
    }

    /** @return the framers on the class path, by name */
    public static Map<String, Entry> discover() {
        Map<String, Entry> out = new TreeMap<>();
        try {
            ClassLoader cl = FramerCatalog.class.getClassLoader();
            Enumeration<URL> manifests = cl.getResources("META-INF/MANIFEST.MF");
            for (URL m : Collections.list(manifests)) {
                String header;
                try (InputStream in = m.openStream()) {
                    header = new Manifest(in).getMainAttributes().getValue("Service-Component");
                }
                if (header == null) {
                    continue;
                }
                String base = m.toString().substring(0, m.toString().length() - "META-INF/MANIFEST.MF".length());
                for (String xml : header.split(",")) {
                    Entry e = parse(new URL(base + xml.trim()), base);
                    if (e != null) {
                        out.putIfAbsent(e.name(), e);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot scan the class path for framers: " + e, e);
        }
        return out;
    }

    static Entry parse(URL xml, String jar) {
        try (InputStream in = xml.openStream()) {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document d = f.newDocumentBuilder().parse(in);
            boolean framer = false;
            NodeList provides = d.getElementsByTagName("provide");
            for (int i = 0; i < provides.getLength(); i++) {
                framer |= Framer.class.getName().equals(((Element) provides.item(i)).getAttribute("interface"));
            }
            if (!framer) {
                return null;
            }
            String name = null;
            NodeList props = d.getElementsByTagName("property");
            for (int i = 0; i < props.getLength(); i++) {
                Element p = (Element) props.item(i);
                if (Framer.NAME.equals(p.getAttribute("name"))) {
                    name = p.getAttribute("value");
                }
            }
            NodeList impl = d.getElementsByTagName("implementation");
            if (name == null || name.isEmpty() || impl.getLength() == 0) {
                return null;
            }
            return new Entry(name, ((Element) impl.item(0)).getAttribute("class"), jar);
        } catch (Exception e) {
            System.err.println("framer catalog: skipping unreadable descriptor " + xml + ": " + e);
            return null;
        }
    }

    /** @return the names, sorted */
    public static List<String> names() {
        return new ArrayList<>(discover().keySet());
    }
}
