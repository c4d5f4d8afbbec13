package dev.jwo.payments.grpc;

import dev.jwo.core.Credential;
import dev.jwo.core.VisitId;
import dev.jwo.core.security.PermissionTable;
import dev.jwo.core.security.Role;
import dev.jwo.payments.ReceiptBook;
import dev.jwo.payments.v1.GetReceiptRequest;
import dev.jwo.payments.v1.ReceiptServiceGrpc;

/**
 * Who may call the receipt service: a shopper's app its own party's receipts; reviewers, staff and the store admin
 * any receipt and the list.
 */
public final class ReceiptPermissions {
  private ReceiptPermissions() {}

  /** The table, checking a shopper's receipts against {@code receipts}. */
  public static PermissionTable table(ReceiptBook receipts) {
    return PermissionTable.builder()
        .allowOwnParty(ReceiptServiceGrpc.getGetReceiptMethod().getFullMethodName(),
            (GetReceiptRequest request, Credential party) -> !request.getVisitId().isBlank()
                && receipts.receipt(VisitId.of(request.getVisitId()))
                    .map(r -> r.credential().equals(party)).orElse(false),
            Role.REVIEWER, Role.STAFF, Role.STORE_ADMIN)
        .allow(ReceiptServiceGrpc.getListReceiptsMethod().getFullMethodName(),
            Role.REVIEWER, Role.STAFF, Role.STORE_ADMIN)
        .build();
  }
}
