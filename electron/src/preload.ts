// The demo bundles its own preload (one CommonJS file, 'electron' external), the way an app with
// more to expose would; an app with nothing else to expose can point webPreferences.preload at
// require.resolve('portwire/electron/preload') instead.
import { exposePortwire } from 'portwire/electron/preload';

exposePortwire();
