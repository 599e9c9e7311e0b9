/**
 * Every lint rule, in the order their findings are listed for one source position. Adding a rule:
 * create rules/<id>.ts (default export from defineRule), register it here, and add
 * fixtures/policies/<id>/{valid,invalid}/ with golden files (test/lint/fixtures.test.ts fails
 * until both exist).
 */
import afterCatchAll from './rules/after-catch-all.js';
import allRegistries from './rules/all-registries.js';
import allowsNothing from './rules/allows-nothing.js';
import attestationStatements from './rules/attestation-statements.js';
import bodyBlindWrites from './rules/body-blind-writes.js';
import buildkitTunnels from './rules/buildkit-tunnels.js';
import compatDefaults from './rules/compat-defaults.js';
import crossOwnerNamespace from './rules/cross-owner-namespace.js';
import duplicate from './rules/duplicate.js';
import emptyVisibility from './rules/empty-visibility.js';
import execAnyCommand from './rules/exec-any-command.js';
import hostBindMount from './rules/host-bind-mount.js';
import invalidVisibility from './rules/invalid-visibility.js';
import mappedCidr from './rules/mapped-cidr.js';
import missingLeadingSlash from './rules/missing-leading-slash.js';
import openClientCidr from './rules/open-client-cidr.js';
import overbroadWrite from './rules/overbroad-write.js';
import ownershipUnsupported from './rules/ownership-unsupported.js';
import pathTemplate from './rules/path-template.js';
import plaintextTcp from './rules/plaintext-tcp.js';
import privilegedCreate from './rules/privileged-create.js';
import profileNotEnforced from './rules/profile-not-enforced.js';
import queryString from './rules/query-string.js';
import readExfiltration from './rules/read-exfiltration.js';
import redactionOff from './rules/redaction-off.js';
import regexSyntax from './rules/regex-syntax.js';
import riskyMethod from './rules/risky-method.js';
import selectorWithoutListener from './rules/selector-without-listener.js';
import sensitiveRead from './rules/sensitive-read.js';
import shadowedSourceIpProfile from './rules/shadowed-source-ip-profile.js';
import shadowed from './rules/shadowed.js';
import slashNameDeny from './rules/slash-name-deny.js';
import uncleanPattern from './rules/unclean-pattern.js';
import unknownEndpoint from './rules/unknown-endpoint.js';
import unknownMethod from './rules/unknown-method.js';
import unownedImages from './rules/unowned-images.js';
import unselectableProfile from './rules/unselectable-profile.js';
import versionPrefix from './rules/version-prefix.js';
import websocketAttach from './rules/websocket-attach.js';

export const LINT_RULES = [
  // What a single rule path or method says by itself.
  missingLeadingSlash,
  versionPrefix,
  regexSyntax,
  pathTemplate,
  queryString,
  uncleanPattern,
  unknownMethod,
  unknownEndpoint,
  // How rules of one list interact.
  duplicate,
  afterCatchAll,
  shadowed,
  slashNameDeny,
  // What the rules expose.
  readExfiltration,
  bodyBlindWrites,
  buildkitTunnels,
  websocketAttach,
  sensitiveRead,
  overbroadWrite,
  riskyMethod,
  // What the request_body settings let reachable clients send.
  hostBindMount,
  privilegedCreate,
  execAnyCommand,
  allRegistries,
  // The policy as a whole.
  allowsNothing,
  unselectableProfile,
  plaintextTcp,
  compatDefaults,
  // Client admission and profiles.
  openClientCidr,
  mappedCidr,
  shadowedSourceIpProfile,
  selectorWithoutListener,
  profileNotEnforced,
  // Owner isolation and response settings.
  ownershipUnsupported,
  crossOwnerNamespace,
  unownedImages,
  invalidVisibility,
  emptyVisibility,
  redactionOff,
  attestationStatements,
] as const;

export type LintCode = (typeof LINT_RULES)[number]['code'];
