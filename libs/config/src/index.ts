export { APP_CONFIG, AppConfig, DEFAULT_DEMO, DEFAULT_REBUILD_THREADS, loadConfig, PROJECTION_MODES } from './app-config';
export type { ProjectionMode } from './app-config';
