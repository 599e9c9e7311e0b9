/**
 * The host paths one mount reaches, judged against `allowed_bind_mounts`: the source of a bind
 * mount, and the device a `local`-driver volume would mount (security-notes.md §15.11). Shared by
 * container create (`HostConfig.Mounts`) and services (`TaskTemplate.ContainerSpec.Mounts`).
 */
import { cleanAbsolutePath, type PathAllowlist } from './host-path.js';
import { forbiddenLocalVolumeDevice } from './local-volume.js';
import { ALLOW, denied, type BodyVerdict } from './verdict.js';

export interface MountPaths {
  Type?: string;
  Source?: string;
  VolumeOptions?: { DriverConfig?: { Name?: string; Options?: Readonly<Record<string, string>> } };
}

export function judgeMountHostPaths(
  mount: MountPaths,
  field: string,
  bindMounts: PathAllowlist,
  allowlistKey: string,
): BodyVerdict {
  if ((mount.Type ?? '').trim().toLowerCase() === 'bind') {
    const source = cleanAbsolutePath(mount.Source ?? '');
    if (source === undefined)
      return denied(`${field}.Source ${JSON.stringify(mount.Source ?? '')} is not an absolute host path`);
    if (!bindMounts.allows(source)) {
      return denied(`${field}.Source mounts host path ${JSON.stringify(source)}; it is not under ${allowlistKey}`);
    }
  }
  const driver = mount.VolumeOptions?.DriverConfig;
  const device = forbiddenLocalVolumeDevice(driver?.Name, driver?.Options, bindMounts);
  if (device !== undefined) {
    return denied(
      `${field}.VolumeOptions.DriverConfig makes the local driver mount host path ${JSON.stringify(device)}; it is not under ${allowlistKey}`,
    );
  }
  return ALLOW;
}
