// LibreChat's environment, built from what the cold start gathered. Kept apart from the fetching
// so that the precedence of the sources is one readable list.
import type { Settings } from './settings';
import { MIB } from './upload-ceiling';

export interface GatheredEnvironment {
  /** The ECS task's variables (inherited-environment.ts). */
  inherited: Record<string, string>;
  /** SSM secrets meant for LibreChat. */
  secrets: Record<string, string>;
  /** The entries that point LibreChat at its credentials file. */
  credentials: Record<string, string>;
}

export function childEnvironment(
  settings: Settings,
  gathered: GatheredEnvironment,
): Record<string, string> {
  const env: Record<string, string> = {
    // The ECS task's variables first: everything the function sets itself wins over them.
    ...gathered.inherited,
    ...settings.passThroughEnv,
    ...gathered.secrets,
    ...gathered.credentials,
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: String(settings.port),
    LIBRECHAT_LOG_DIR: settings.logDir,
  };
  if (settings.configPath) env.CONFIG_PATH = settings.configPath;
  // Conversation imports have their own limit (api/server/utils/import/importConversations.js,
  // api/server/routes/config.js): never above the upload ceiling.
  const importMax = settings.uploadLimitMb * MIB;
  const givenImportMax = Number(env.CONVERSATION_IMPORT_MAX_FILE_SIZE_BYTES);
  if (!(givenImportMax > 0 && givenImportMax <= importMax)) {
    env.CONVERSATION_IMPORT_MAX_FILE_SIZE_BYTES = String(importMax);
  }
  return env;
}
