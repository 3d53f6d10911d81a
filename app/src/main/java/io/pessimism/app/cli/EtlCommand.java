package io.pessimism.app.cli;

import io.pessimism.api.EtlService;
import io.pessimism.app.service.ServiceContext;
import io.pessimism.config.PessimismConfig;
import io.pessimism.pipeline.StreamsBranches;
import io.pessimism.registry.Registry;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "etl", mixinStandardHelpOptions = true,
        description = {"Run the ETL service: the control plane, one Kafka Streams app per pipeline prefix, "
                + "and the REST API (api.host:api.port).", "A restarted service resumes every pipeline where it "
                + "committed. Stops cleanly on SIGTERM/Ctrl-C."})
public final class EtlCommand implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(EtlCommand.class);

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Override
    public Integer call() throws InterruptedException {
        PessimismConfig cfg = config.load();
        log.info("configuration:\n{}", cfg.describe());
        ServiceContext context = ServiceContext.of(cfg).requireBrokers();
        try (EtlService etl = start(context)) {
            StopSignal stop = new StopSignal("etl", etl);
            spec.commandLine().getOut().println("ETL REST API listening on " + etl.apiUrl());
            spec.commandLine().getOut().flush();
            stop.await();
        }
        return 0;
    }

    /** The ETL service over the standard registry with the Kafka Streams branch runtime. */
    public static EtlService start(ServiceContext context) {
        Registry registry = Registry.standard();
        return new EtlService(context.config(), context.registry(),
                StreamsBranches.create(context.config(), context.registry(), registry)).start();
    }
}
