/**
 * Whether a file is a helmfile, by its name. No imports: the CLI's commands use it before anything is loaded.
 */

/** True for the names helmfile reads (`helmfile.yaml`, `helmfile.yaml.gotmpl`, `gke.helmfile.yaml`, ...). */
export function isHelmfileName(base: string): boolean {
  return /(^|\.)helmfile(\.[^/]*)?\.ya?ml(\.gotmpl)?$/i.test(base);
}
