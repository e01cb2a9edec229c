package io.websocksy.itests;

import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import io.websocksy.itests.support.Websocksy;

/**
 * docs/behaviour.md#configuration: every option has metatype, so OSGi tooling can list and edit it. Reads the generated
 * {@code OSGI-INF/metatype/*.xml} of every websocksy bundle the distribution ships ({@code bundle/} and
 * {@code deploy/}) and checks each object class and attribute: a name and a description; a default for
 * every single-valued attribute (a list attribute without one starts empty); a min and a max for every
 * numeric attribute.
 */
public class MetatypeIT {
    private static final Set<String> NUMERIC = Set.of("Integer", "Long", "Short", "Byte", "Double", "Float");

    @Test
    public void everyAttributeHasNameDescriptionDefaultAndRange() throws Exception {
        Path home = Websocksy.home();
        List<Path> jars = new ArrayList<>();
        for (String dir : new String[] {"bundle", "deploy"}) {
            try (Stream<Path> s = Files.list(home.resolve(dir))) {
                s.filter(p -> p.getFileName().toString().startsWith("io.websocksy.")
                        && p.getFileName().toString().endsWith(".jar")).forEach(jars::add);
            }
        }
        List<String> problems = new ArrayList<>();
        Set<String> ocds = new TreeSet<>();
        int attributes = 0;
        for (Path jar : jars) {
            try (ZipFile z = new ZipFile(jar.toFile())) {
                for (Enumeration<? extends ZipEntry> e = z.entries(); e.hasMoreElements();) {
                    ZipEntry entry = e.nextElement();
                    if (!entry.getName().startsWith("OSGI-INF/metatype/") || !entry.getName().endsWith(".xml")) {
                        continue;
                    }
                    Document doc;
                    try (InputStream in = z.getInputStream(entry)) {
                        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                        f.setNamespaceAware(true);
                        doc = f.newDocumentBuilder().parse(in);
                    }
                    NodeList ocdNodes = doc.getElementsByTagName("OCD");
                    for (int i = 0; i < ocdNodes.getLength(); i++) {
                        Element ocd = (Element) ocdNodes.item(i);
                        String where = jar.getFileName() + " " + ocd.getAttribute("id");
                        ocds.add(ocd.getAttribute("id"));
                        require(problems, where, ocd, "name");
                        require(problems, where, ocd, "description");
                        NodeList ads = ocd.getElementsByTagName("AD");
                        for (int j = 0; j < ads.getLength(); j++) {
                            Element ad = (Element) ads.item(j);
                            attributes++;
                            String at = where + " " + ad.getAttribute("id");
                            require(problems, at, ad, "name");
                            require(problems, at, ad, "description");
                            boolean list = ad.hasAttribute("cardinality") && !ad.getAttribute("cardinality").equals("0");
                            if (!list && !ad.hasAttribute("default")) {
                                problems.add(at + ": no default");
                            }
                            if (NUMERIC.contains(ad.getAttribute("type"))) {
                                for (String bound : new String[] {"min", "max"}) {
                                    if (ad.getAttribute(bound).isEmpty()) {
                                        problems.add(at + ": numeric without " + bound);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue("object classes found: " + ocds, ocds.containsAll(
                Set.of("websocksy.listener", "websocksy.transport", "websocksy.backend.default")));
        assertTrue("no attributes found", attributes > 10);
        assertTrue(String.join("\n", problems), problems.isEmpty());
    }

    private static void require(List<String> problems, String where, Element e, String attribute) {
        if (e.getAttribute(attribute).isBlank()) {
            problems.add(where + ": no " + attribute);
        }
    }
}
