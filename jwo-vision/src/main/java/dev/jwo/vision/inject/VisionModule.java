package dev.jwo.vision.inject;

import dev.jwo.compliance.retention.TimedRecords;
import dev.jwo.compliance.subject.SubjectRecords;
import dev.jwo.vision.paths.VisitPaths;
import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.jwo.core.inject.CoreModule;
import dev.jwo.core.visit.IdentityTrace;
import dev.jwo.core.visit.ShopperLocator;
import dev.jwo.core.visit.VisitListener;
import dev.jwo.vision.PersonTracker;
import dev.jwo.vision.internal.VisionStage;
import dev.jwo.vision.linking.LinkerSettings;
import dev.jwo.vision.linking.UnadmittedEntry;
import dev.jwo.vision.tracking.KalmanTracker;
import dev.jwo.vision.tracking.TrackerSettings;

/**
 * Wires person tracking into the pipeline. Defaults: {@link KalmanTracker} with
 * {@link TrackerSettings#DEFAULTS}, and {@link LinkerSettings#DEFAULTS}, and no {@link IdentityTrace}; replace any with {@code OptionalBinder}.
 * Provides the {@link ShopperLocator} the cart reads, and keeps the path each visit walked ({@link VisitPaths}).
 */
public final class VisionModule extends AbstractModule {
  /** The listeners told of tracks entering with no place in an admitted party (none by default); add to it. */
  public static Multibinder<UnadmittedEntry.Listener> unadmittedEntryListeners(com.google.inject.Binder binder) {
    return Multibinder.newSetBinder(binder, UnadmittedEntry.Listener.class);
  }

  @Override
  protected void configure() {
    OptionalBinder.newOptionalBinder(binder(), PersonTracker.class).setDefault().to(KalmanTracker.class);
    OptionalBinder.newOptionalBinder(binder(), TrackerSettings.class).setDefault().toInstance(TrackerSettings.DEFAULTS);
    OptionalBinder.newOptionalBinder(binder(), LinkerSettings.class).setDefault().toInstance(LinkerSettings.DEFAULTS);
    OptionalBinder.newOptionalBinder(binder(), IdentityTrace.class).setDefault().toInstance(IdentityTrace.NONE);
    bind(KalmanTracker.class).in(com.google.inject.Singleton.class);
    bind(ShopperLocator.class).to(VisionStage.class);
    CoreModule.handlers(binder()).addBinding().to(VisionStage.class);
    Multibinder.newSetBinder(binder(), VisitListener.class).addBinding().to(VisionStage.class);
    unadmittedEntryListeners(binder());
    // The path each visit walked: shown to the person, deleted on schedule and on request.
    Multibinder.newSetBinder(binder(), SubjectRecords.class).addBinding().to(VisitPaths.class);
    Multibinder.newSetBinder(binder(), TimedRecords.class).addBinding().to(VisitPaths.class);
  }
}
