/**
 * request_body.volume — POST /volumes/create (sockguard-config.md §8.2, security-notes.md §15.9).
 * A driver other than `local` is a volume plugin (allow_custom_drivers); DriverOpts need
 * allow_driver_opts. Even when options are allowed, a local-driver bind or host block device must lie
 * under container_create.allowed_bind_mounts: the volume will be mounted by name later, where no bind
 * check sees it.
 */
import type { RequestBodyPolicy } from '../schema.js';
import type { volumeCreateShape } from './body-shapes.js';
import type { PathAllowlist } from './host-path.js';
import type { Decoded } from './json-shape.js';
import { forbiddenLocalVolumeDevice } from './local-volume.js';
import { ALLOW, denied, policyKeys, type BodyVerdict, type PolicyKey } from './verdict.js';

type Group = NonNullable<RequestBodyPolicy['volume']>;

export interface CompiledVolume {
  key: PolicyKey;
  allowCustomDrivers: boolean;
  allowDriverOpts: boolean;
  bindMounts: PathAllowlist;
  bindMountsKey: string;
}

export function compileVolume(
  group: Group | undefined,
  bindMounts: PathAllowlist,
  bindMountsKey: string,
  prefix: string,
): CompiledVolume {
  return {
    key: policyKeys(prefix, 'volume'),
    allowCustomDrivers: group?.allow_custom_drivers ?? false,
    allowDriverOpts: group?.allow_driver_opts ?? false,
    bindMounts,
    bindMountsKey,
  };
}

export function inspectVolumeCreate(body: Decoded<typeof volumeCreateShape>, p: CompiledVolume): BodyVerdict {
  const driver = (body.Driver ?? '').trim();
  if (!p.allowCustomDrivers && driver !== '' && driver.toLowerCase() !== 'local') {
    return denied(`Driver is ${JSON.stringify(driver)}, a volume plugin; ${p.key('allow_custom_drivers')} is false`);
  }
  if (!p.allowCustomDrivers && body.ClusterVolumeSpec !== undefined) {
    return denied(`ClusterVolumeSpec creates a CSI cluster volume; ${p.key('allow_custom_drivers')} is false`);
  }
  const options = body.DriverOpts ?? {};
  if (Object.keys(options).length === 0) return ALLOW;
  if (!p.allowDriverOpts) return denied(`DriverOpts is set; ${p.key('allow_driver_opts')} is false`);
  const device = forbiddenLocalVolumeDevice(driver, options, p.bindMounts);
  return device === undefined
    ? ALLOW
    : denied(
        `DriverOpts make the local driver mount host path ${JSON.stringify(device)}; it is not under ${p.bindMountsKey}`,
      );
}
