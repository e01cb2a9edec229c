package io.websocksy.api.admin;

/**
 * One framer or backend service as the bridge sees it: its name, who provides it and whether it is
 * the one used for that name (the highest {@code service.ranking}, then the lowest
 * {@code service.id}). Immutable.
 */
public final class ServiceInfo {
    private final String name;
    private final String bundleSymbolicName;
    private final String bundleVersion;
    private final long bundleId;
    private final long serviceId;
    private final int ranking;
    private final boolean active;

    /**
     * @param name the framer or backend name
     * @param bundleSymbolicName providing bundle's symbolic name
     * @param bundleVersion providing bundle's version
     * @param bundleId providing bundle's id
     * @param serviceId the service's {@code service.id}
     * @param ranking the service's {@code service.ranking}
     * @param active true when this is the service used for {@code name}; false when shadowed
     * @throws IllegalArgumentException for an empty name or bundle name, or a negative id
     */
    public ServiceInfo(String name, String bundleSymbolicName, String bundleVersion, long bundleId, long serviceId,
            int ranking, boolean active) {
        this.name = Checks.nonEmpty(name, "name");
        this.bundleSymbolicName = Checks.nonEmpty(bundleSymbolicName, "bundle symbolic name");
        this.bundleVersion = bundleVersion == null ? "" : bundleVersion;
        this.bundleId = Checks.notNegative(bundleId, "bundle id");
        this.serviceId = Checks.notNegative(serviceId, "service id");
        this.ranking = ranking;
        this.active = active;
    }

    /** @return the framer or backend name */
    public String name() {
        return name;
    }

    /** @return the providing bundle's symbolic name */
    public String bundleSymbolicName() {
        return bundleSymbolicName;
    }

    /** @return the providing bundle's version (empty when unknown) */
    public String bundleVersion() {
        return bundleVersion;
    }

    /** @return the providing bundle's id */
    public long bundleId() {
        return bundleId;
    }

    /** @return the service id */
    public long serviceId() {
        return serviceId;
    }

    /** @return the service ranking */
    public int ranking() {
        return ranking;
    }

    /** @return true when used for its name, false when shadowed by a better-ranked service */
    public boolean active() {
        return active;
    }

    @Override
    public String toString() {
        return "ServiceInfo[" + name + " " + (active ? "active" : "shadowed") + " ranking=" + ranking + " service.id="
                + serviceId + " " + bundleSymbolicName + " " + bundleVersion + " (" + bundleId + ")]";
    }
}
