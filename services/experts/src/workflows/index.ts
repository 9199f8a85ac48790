export { team } from './team';
