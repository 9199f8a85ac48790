import { catalogue } from '../catalogue';

export const regionMessages = catalogue({}, { bg: {}, sv: {} });
