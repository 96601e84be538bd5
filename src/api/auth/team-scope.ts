import type { Response } from 'express';
import { principalOfRequest } from './authenticate.ts';

/**
 * What a team may see: `teams.<team>.services` from the config, or, when the team is not listed, the
 * service of the same name. `null` = every service (a key without team, or open mode).
 */
export type TeamServices = (team: string) => readonly string[];

export function visibleServices(res: Response, servicesOfTeam: TeamServices): readonly string[] | null {
  const principal = principalOfRequest(res);
  if (!principal || principal.team === null) return null;
  return servicesOfTeam(principal.team);
}
