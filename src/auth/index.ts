export {
  type AdminPrincipal,
  type Authenticator,
  createAuthenticator,
  type EmployeePrincipal,
} from "./authenticator.ts";
