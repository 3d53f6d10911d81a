package io.pessimism.app;

import picocli.CommandLine;

/** Reports the jar's version (from the manifest) and the Kafka client it was built against. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "pessimism " + (version == null ? "(development build)" : version),
            "Kafka clients " + org.apache.kafka.common.utils.AppInfoParser.getVersion(),
            "Java " + System.getProperty("java.version")
        };
    }
}
