import { isTeam, spaceMay, type TSpace } from './space-rules';

/**
 * What the vault page offers this user (issue 15): the same rules the API enforces (spaceMay), so no one is shown
 * a button the server then refuses with 403. Serializable: server pages hand it to client components.
 */
export interface TSpaceCapabilities {
  userId: string;
  /** Upload into the vault (a viewer may not; the plan's read-only state is separate: uploadBlockedReason). */
  upload: boolean;
  /** Create, rename, delete vaults and set who may open them; rename, move, delete anyone's documents. */
  manage: boolean;
  /** Rename, move and delete the documents this user uploaded (members; everyone in a personal space). */
  editOwn: boolean;
  /** A team space: vault access can be limited, the activity log exists. */
  team: boolean;
}

export function spaceCapabilities(space: TSpace): TSpaceCapabilities {
  return {
    userId: space.userId,
    upload: spaceMay(space, 'write'),
    manage: spaceMay(space, 'manage'),
    editOwn: spaceMay(space, 'write'),
    team: isTeam(space),
  };
}

/** Whether the user may rename, move or delete this document (its uploader's id: TDocumentView.uploadedBy). */
export const mayEditDocument = (may: TSpaceCapabilities, document: { uploadedBy: string }) =>
  may.manage || (may.editOwn && document.uploadedBy === may.userId);
