/**
 * The largest `first` the connector asks for and the emulator accepts. W&B
 * does not document its ceiling; its SDK pages collection aliases 1,000 at a
 * time, so 1,000 is known to be accepted.
 */
export const MAX_PAGE_SIZE = 1000;
